/**
 * The tray icon: a 32×32 PNG (a dark disc with a cut-out "M"), embedded so the main bundle needs
 * no resource file next to it and the tray works the same unpackaged, packaged and in tests.
 */
export const TRAY_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAfklEQVR42u3XSw6AIAwE0LmPC/fe/17jBUT7AwdlMSsIeYGGtNj2A28GswFoTDmAwaQBLEoIwOK4AOwUE4Cdow3wXJ93/XKvFCBSxZa12/OmB2T+kRSg9eb/AvChFoYAInsWQBeAgQDIAlY/INGSSTSlEm25xGAiM5p9dzo+AWSkZiV5M2+1AAAAAElFTkSuQmCC';
