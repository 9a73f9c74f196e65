// Names people use for observable kinds and the reasons that relate two seizures.
import { label } from '../core/dom.js';

/** The observable kinds of the API (src/domain/observables.rules.ts), in the order a form offers them. */
export const OBSERVABLE_KINDS = [
  ['PHONE', 'Phone number'], ['PERSON', 'Person'], ['ORGANIZATION', 'Organisation'], ['ADDRESS', 'Address'],
  ['VEHICLE_PLATE', 'Vehicle plate'], ['VIN', 'VIN'], ['CONTAINER_NUMBER', 'Container number'], ['AIRWAY_BILL', 'Air waybill'],
  ['TRACKING_NUMBER', 'Tracking number'], ['PILL_IMPRINT', 'Pill imprint'], ['PILL_COLOR', 'Pill colour'], ['PILL_SHAPE', 'Pill shape'],
  ['PILL_LOGO', 'Pill logo'], ['PACKAGING_MARKING', 'Packaging marking or stamp'], ['ROUTE_ORIGIN', 'Route origin'],
];

const REASONS = {
  ...Object.fromEntries(OBSERVABLE_KINDS),
  PILL_PROFILE: 'Same pill (imprint, colour, shape)', CHEMICAL_PROFILE: 'Same chemical profile', SIMILAR_NAME: 'Similar name',
  SAME_PORT: 'Same port, close dates', MANUAL: 'Linked by hand',
};

/** "PHONE" → "Phone number"; an unknown kind is still shown, in words. */
export const kindText = (kind) => REASONS[kind] ?? label(kind);
