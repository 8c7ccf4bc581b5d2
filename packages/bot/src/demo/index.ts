export * from "./bike-shop.js";
