export { waybillKey } from '../domain/waybill.js'; // stub (issue 15): moved to domain/waybill.ts; deleted once no caller imports it here
