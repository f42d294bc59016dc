/**
 * Import limits, in a module of their own so the popup can show them without loading the import
 * parser (and the schema library behind it).
 */

/** Files larger than this are refused before parsing (UTF-8 bytes). */
export const MAX_IMPORT_BYTES = 1024 * 1024;

/** More projects than this in one file is a file-level error. */
export const MAX_IMPORT_PROJECTS = 200;
