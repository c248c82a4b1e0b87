// Personal data on paper and screens: the masks live in domain/privacy.ts (one copy of the rule).
export { maskAddress, maskPhone } from '../domain/privacy.js';
