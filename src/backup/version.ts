/** The tool version recorded in metadata.json (kept equal to package.json's). */
export const STANDBY_VERSION = '0.1.0';
