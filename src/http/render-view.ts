import type { PageView } from '../interaction/outcome.js';
import { renderEidSelectPage, renderErrorPage, renderNoRepresentationPage, renderOrgPickerPage, renderTestEntraPage, renderTestIdPage } from '../ui/index.js';

/** Renders a page of the login phase; `script` says whether it carries a nonce'd script. */
export function renderView(view: PageView): { render: (nonce: string) => string; script: boolean } {
  switch (view.page) {
    case 'eid-select': return { render: () => renderEidSelectPage(view.props), script: false };
    case 'testid': return { render: (nonce) => renderTestIdPage({ ...view.props, nonce }), script: true };
    case 'test-entra': return { render: () => renderTestEntraPage(view.props), script: false };
    case 'org-picker': return { render: (nonce) => renderOrgPickerPage({ ...view.props, nonce }), script: true };
    case 'no-representation': return { render: () => renderNoRepresentationPage(view.props), script: false };
    case 'error': return { render: () => renderErrorPage(view.props), script: false };
  }
}
