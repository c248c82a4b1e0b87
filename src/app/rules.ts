// The deadline rules in force: the tables shipped with the tool, merged with the user's config.
import { builtinRules, loadRuleTable, mergeRules, type RuleSet } from '../domain/rules.js';
import type { Config } from '../config.js';
import { ConfigProblem } from './configProblem.js';

export { ConfigProblem };

export function ruleSetFor(config: Config, configFile: string): RuleSet {
  if (!config.rules) return builtinRules;
  const out: RuleSet = { ...builtinRules };
  for (const platform of ['taobao', 'douyin', 'pdd'] as const) {
    const extra = config.rules[platform];
    if (!extra) continue;
    try {
      const table = loadRuleTable({ platform, rules: extra }, `${configFile} rules.${platform}`);
      out[platform] = mergeRules(builtinRules[platform], table);
    } catch (e) {
      throw new ConfigProblem(configFile, (e as Error).message);
    }
  }
  return out;
}
