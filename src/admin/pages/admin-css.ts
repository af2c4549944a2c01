/** A few extra styles for the self-service pages (tables, definition lists, the secret box). */
export const ADMIN_CSS = `
.admin-nav { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 0 0 1.5rem; padding: 0 0 .75rem; border-bottom: 1px solid #d0d5dd; }
.admin-nav .who { margin-left: auto; color: #555; font-size: .9rem; }
.admin-table { width: 100%; border-collapse: collapse; margin: 0 0 1.5rem; font-size: .95rem; }
.admin-table th, .admin-table td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid #d0d5dd; vertical-align: top; }
.admin-table th { font-weight: 600; }
.admin-table code, .admin-meta code { word-break: break-all; }
.admin-meta { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1.5rem; }
.admin-meta dt { font-weight: 600; }
.admin-meta dd { margin: 0; }
.secret-box { display: block; padding: .75rem 1rem; border: 2px dashed #1f4f8b; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 1rem; word-break: break-all; user-select: all; margin: 0 0 1rem; }
.admin-section { margin-top: 2.5rem; padding-top: 1.5rem; border-top: 1px solid #d0d5dd; }
.btn-danger { background: #b3261e; border-color: #b3261e; }
`;
