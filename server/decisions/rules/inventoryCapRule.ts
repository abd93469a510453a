import { removeEach, type Rule } from './Rule.js';

/** Show-wide: a template with an inventory stops once its impressions reach it. */
export const inventoryCapRule: Rule = {
  name: 'inventory_cap',
  apply: (context, candidates, fired) => {
    const delivered = context.show.impressionsByTemplate;
    return removeEach(
      'inventory_cap',
      candidates,
      fired,
      (t) => t.inventory !== undefined && (delivered[t.id] ?? 0) >= t.inventory,
    );
  },
};
