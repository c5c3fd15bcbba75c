/** The app's routes, kept in `location.hash` so any static host (and a custom scheme) serves them. */
export type Route =
  | { name: 'studies' }
  | { name: 'new'; fromStudy: number | null; fromTrial?: number }
  | { name: 'study'; studyId: number }
  | { name: 'trial'; studyId: number; trialId: number }
  | { name: 'compare'; studyId: number; trialIds: number[] }
  /** Training backends and the GPU on this machine (doctor). */
  | { name: 'backends' }
  | { name: 'notFound'; path: string };

function positiveInt(text: string | undefined): number | null {
  if (!text || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value > 0 && Number.isSafeInteger(value) ? value : null;
}

function idList(text: string | null): number[] {
  if (!text) return [];
  const ids = text.split(',').map((part) => positiveInt(part.trim()));
  return [...new Set(ids.filter((id): id is number => id !== null))];
}

/** decodeURIComponent, or null for a malformed escape (`%E0%A4%A`) instead of a URIError. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const query = new URLSearchParams(queryPart);
  const decoded = pathPart.split('/').filter(Boolean).map(decodeSegment);
  // A malformed escape is shown as typed on the Not found page; it can match no route.
  if (decoded.includes(null)) return { name: 'notFound', path: '/' + pathPart.replace(/^\/+/, '') };
  const parts = decoded as string[];
  const [head, id, tail] = parts;
  if (parts.length === 0 || (head === 'studies' && parts.length === 1)) return { name: 'studies' };
  if (head === 'backends' && parts.length === 1) return { name: 'backends' };
  if (head === 'new' && parts.length === 1) {
    const fromStudy = positiveInt(query.get('from') ?? undefined);
    const fromTrial = positiveInt(query.get('trial') ?? undefined);
    return fromStudy !== null && fromTrial !== null ? { name: 'new', fromStudy, fromTrial } : { name: 'new', fromStudy };
  }
  const studyId = head === 'study' ? positiveInt(id) : null;
  if (studyId !== null && parts.length === 2) return { name: 'study', studyId };
  const trialId = positiveInt(parts[3]);
  if (studyId !== null && tail === 'trial' && trialId !== null && parts.length === 4) return { name: 'trial', studyId, trialId };
  if (studyId !== null && tail === 'compare' && parts.length === 3) {
    return { name: 'compare', studyId, trialIds: idList(query.get('trials')) };
  }
  return { name: 'notFound', path: '/' + parts.join('/') };
}

export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'studies':
      return '#/';
    case 'new':
      if (route.fromStudy === null) return '#/new';
      return route.fromTrial === undefined ? `#/new?from=${route.fromStudy}` : `#/new?from=${route.fromStudy}&trial=${route.fromTrial}`;
    case 'study':
      return `#/study/${route.studyId}`;
    case 'trial':
      return `#/study/${route.studyId}/trial/${route.trialId}`;
    case 'compare':
      return `#/study/${route.studyId}/compare?trials=${route.trialIds.join(',')}`;
    case 'backends':
      return '#/backends';
    case 'notFound':
      return `#${route.path}`;
  }
}
