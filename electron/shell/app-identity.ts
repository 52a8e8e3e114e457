/** The app's identity, shared by the main process and checked against package.json's electron-builder config. */
export const APP_ID = 'fr.rempart.desktop';
export const APP_NAME = 'Rempart';
