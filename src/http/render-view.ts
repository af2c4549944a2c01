import type { PageView } from '../interaction/outcome.js';
import { PageTemplates } from '../ui/page-templates.js';
import { renderEidSelectPage, renderErrorPage, renderNoRepresentationPage, renderOrgPickerPage, renderTestEntraPage, renderTestIdPage } from '../ui/index.js';

/** The pages every login shows, kept as templates (src/ui/page-templates.ts). */
const templates = new PageTemplates();

/** Renders a page of the login phase; `script` says whether it carries a nonce'd script. */
export function renderView(view: PageView): { render: (nonce: string) => string; script: boolean } {
  switch (view.page) {
    case 'eid-select': {
      const p = view.props;
      return { render: (nonce) => templates.render('eid-select', p, { flow: p.flow, csrf: p.csrf, nonce }, (q, s) => renderEidSelectPage({ ...q, flow: s.flow, csrf: s.csrf })), script: false };
    }
    case 'testid': {
      const p = view.props;
      // A page with an error or the number typed is rendered afresh (rare, and it holds what was typed).
      if (p.error !== undefined || p.pidValue !== undefined) return { render: (nonce) => renderTestIdPage({ ...p, nonce }), script: true };
      return {
        render: (nonce) => templates.render('testid', p, { flow: p.flow, csrf: p.csrf, nonce }, (q, s) => renderTestIdPage({ ...q, flow: s.flow, csrf: s.csrf, nonce: s.nonce }), ['persons']),
        script: true,
      };
    }
    case 'test-entra': return { render: () => renderTestEntraPage(view.props), script: false };
    case 'org-picker': return { render: (nonce) => renderOrgPickerPage({ ...view.props, nonce }), script: true };
    case 'no-representation': return { render: () => renderNoRepresentationPage(view.props), script: false };
    case 'error': return { render: () => renderErrorPage(view.props), script: false };
  }
}
