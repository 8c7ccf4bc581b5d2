/** Vite inlines a stylesheet imported with `?inline` as a string (minified in builds). */
declare module "*.css?inline" {
  const css: string;
  export default css;
}
