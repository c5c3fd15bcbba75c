/** The app's routes, kept in `location.hash` so any static host (and a custom scheme) serves them. */
export type Route =
  | { name: 'studies' }
  | { name: 'new'; fromStudy: number | null }
  | { name: 'study'; studyId: number }
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

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const query = new URLSearchParams(queryPart);
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id, tail] = parts;
  if (parts.length === 0 || (head === 'studies' && parts.length === 1)) return { name: 'studies' };
  if (head === 'backends' && parts.length === 1) return { name: 'backends' };
  if (head === 'new' && parts.length === 1) return { name: 'new', fromStudy: positiveInt(query.get('from') ?? undefined) };
  const studyId = head === 'study' ? positiveInt(id) : null;
  if (studyId !== null && parts.length === 2) return { name: 'study', studyId };
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
      return route.fromStudy === null ? '#/new' : `#/new?from=${route.fromStudy}`;
    case 'study':
      return `#/study/${route.studyId}`;
    case 'compare':
      return `#/study/${route.studyId}/compare?trials=${route.trialIds.join(',')}`;
    case 'backends':
      return '#/backends';
    case 'notFound':
      return `#${route.path}`;
  }
}
