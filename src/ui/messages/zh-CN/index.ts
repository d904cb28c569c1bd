// The zh-CN catalog (简体中文), by area, typed against the English one (../index.ts).
// Terms follow shared/reference/zh-glossary.md: SDM and code names stay English.

export const zhCN = {};
