// `refunds profiles [--json]`: the import layouts, built-in and the user's, with their signatures.
import type { Command } from 'commander';
import type { Context } from './context.js';

export function registerProfiles(program: Command, ctx: () => Context): void {
  program
    .command('profiles')
    .description('list the import profiles (built-in export layouts and those of your config file) with their signatures')
    .option('--json', 'one JSON document on stdout')
    .addHelpText(
      'after',
      `
Examples:
  refunds profiles
  refunds profiles --json

A file is recognised by the profile whose signature headers it holds most of (at least 3, or all of
a shorter signature). Add your own profiles to the config file under "profiles" (README, "Writing a
profile"); "refunds import --explain FILE" shows how a file is read.`,
    )
    .action(async (flags: { json?: boolean }) => {
      const c = ctx();
      const [{ profilesFor }, view] = await Promise.all([import('../import/profileSchema.js'), import('../ui/profilesView.js')]);
      const profiles = profilesFor(c.config.profiles);
      c.io.out(flags.json ? JSON.stringify(view.profilesJson(profiles), null, 2) : view.renderProfiles(profiles, c.configFile));
    });
}
