; Included by electron-builder's NSIS scripts (electron-builder.yml nsis.include).
; The app registers its deep-link scheme at run time (app.setAsDefaultProtocolClient writes
; HKCU\Software\Classes\app.themaestro.desktop); uninstalling removes that registration, so no
; link of the scheme launches a program that is gone. Must equal DEFAULT_DEEP_LINK_SCHEME.
!macro customUnInstall
  DeleteRegKey HKCU "Software\Classes\app.themaestro.desktop"
!macroend
