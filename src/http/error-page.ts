import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthError } from '../core/oauth-error.js';
import { pickLocale } from '../ui/i18n.js';
import { renderErrorPage } from '../ui/index.js';
import { readCookie } from './cookies.js';
import { sendHtml } from './respond.js';

/** The error page for problems that cannot be sent back to a client (never a redirect), in the language chosen earlier. */
export function sendErrorPage(req: FastifyRequest, reply: FastifyReply, s: { cookieNames: { lang: string } }, err: OAuthError): FastifyReply {
  const locale = pickLocale([readCookie(req, s.cookieNames.lang)]);
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return sendHtml(reply, Math.max(err.status , 400), () => renderErrorPage({ locale, errorCode: err.error, message: pageMessage(err.description, locale) }));
}

const FLOW_MESSAGES: Record<string, Record<string, string>> = {
  flow_missing: { nb: 'Innloggingen mangler. Gå tilbake til tjenesten og start på nytt.', nn: 'Innlogginga manglar. Gå tilbake til tenesta og start på nytt.', en: 'The login is missing. Go back to the service and start again.', se: 'Sisaigeahčču váilu. Mana ruovttoluotta bálvalussii ja álggat ođđasit.' },
  flow_expired: { nb: 'Innloggingen er utløpt eller allerede fullført. Gå tilbake til tjenesten og start på nytt.', nn: 'Innlogginga er utgått eller allereie fullført. Gå tilbake til tenesta og start på nytt.', en: 'The login has expired or was already completed. Go back to the service and start again.', se: 'Sisaigeahčču lea nohkan dahje juo gárvvistuvvon. Mana ruovttoluotta bálvalussii ja álggat ođđasit.' },
  flow_other_browser: { nb: 'Innloggingen ble startet i en annen nettleser.', nn: 'Innlogginga vart starta i ein annan nettlesar.', en: 'The login was started in another browser.', se: 'Sisaigeahčču álggahuvvui eará neahttalohkkiin.' },
  session_ended: { nb: 'Innloggingen din er avsluttet. Gå tilbake til tjenesten og logg inn på nytt.', nn: 'Innlogginga di er avslutta. Gå tilbake til tenesta og logg inn på nytt.', en: 'Your session has ended. Go back to the service and log in again.', se: 'Du sisaigeahčču lea nohkan. Mana ruovttoluotta bálvalussii ja čálit sisa ođđasit.' },
  too_many_logins: { nb: 'For mange innlogginger pågår akkurat nå. Vent litt og prøv igjen.', nn: 'For mange innloggingar går føre seg akkurat no. Vent litt og prøv igjen.', en: 'Too many logins are in progress right now. Wait a moment and try again.', se: 'Menddo ollu sisaigeahččamat dál leat jođus. Vuordde veaháš ja geahččal fas.' },
  too_many_requests: { nb: 'For mange forespørsler fra din adresse. Vent litt og prøv igjen.', nn: 'For mange førespurnader frå adressa di. Vent litt og prøv igjen.', en: 'Too many requests from your address. Wait a moment and try again.', se: 'Menddo ollu jearaldagat du čujuhusas. Vuordde veaháš ja geahččal fas.' },
  csrf: { nb: 'Skjemaet kunne ikke verifiseres. Last siden på nytt og prøv igjen.', nn: 'Skjemaet kunne ikkje verifiserast. Last sida på nytt og prøv igjen.', en: 'The form could not be verified. Reload the page and try again.', se: 'Skovvi ii sáhttán dárkkistuvvot. Viečča siiddu ođđasit ja geahččal fas.' },
};

function pageMessage(description: string, locale: string): string {
  return FLOW_MESSAGES[description]?.[locale] ?? description;
}
