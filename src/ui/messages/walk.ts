// Messages of the address-translation panels (walk grid, TLB, VA split).
export const walk = {} as const;
