/** Server-rendered pages of the provider: pure functions returning complete HTML5 documents. */
export { APP_CSS, APP_CSS_PATH } from './assets.js';
export {
  SafeHtml,
  attrIf,
  escapeHtml,
  formatOrgno,
  hiddenInputs,
  html,
  jsonForScript,
  raw,
  safeUrl,
  scriptTag,
  withData,
  type HtmlValue,
} from './html.js';
export {
  DEFAULT_LOCALE,
  LANGUAGE_NAMES,
  LOCALES,
  MESSAGES,
  isLocale,
  pickLocale,
  t,
  type Locale,
  type MessageKey,
} from './i18n.js';
export { layout, type LayoutOptions, type PageChrome } from './layout.js';
export { renderErrorPage, type ErrorPageProps } from './pages/error.js';
export { renderEidSelectPage, type EidOption, type EidSelectPageProps } from './pages/eid-select.js';
export { renderTestEntraPage, type TestEntraAccount, type TestEntraPageProps } from './pages/test-entra.js';
export { renderTestIdPage, type TestIdAcr, type TestIdPageProps, type TestIdPerson } from './pages/testid.js';
export { renderFormPostPage, type FormPostPageProps } from './pages/form-post.js';
export { renderOrgPickerPage, type OrgParty, type OrgPickerPageProps, type OrgUnit } from './pages/org-picker.js';
export { renderNoRepresentationPage, type NoRepresentationPageProps } from './pages/no-representation.js';
export { renderLoggedOutPage, type LoggedOutPageProps } from './pages/logged-out.js';
export { FRONT_CHANNEL_WAIT_MS, renderFrontChannelLogoutPage, type FrontChannelLogoutPageProps } from './pages/front-channel-logout.js';
export {
  DEMO_EXAMPLES,
  renderDemoStartPage,
  type DemoDefaults,
  type DemoExampleId,
  type DemoStartPageProps,
} from './pages/demo-start.js';
export { renderDemoResultPage, type DemoResultPageProps } from './pages/demo-result.js';
