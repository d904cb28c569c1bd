// The runtime assembled at build time (vite.config.ts runtimeImage).
declare module 'virtual:dune-runtime-image' {
  const image: import('../../engine/libdune/image.ts').RuntimeImage;
  export default image;
}
