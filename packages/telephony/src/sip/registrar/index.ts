export * from "./address-of-record.js";
export * from "./location-service.js";
export * from "./registrar.js";
