/** What the suite stops with when something it needs cannot be had here: one line naming what to install. */
export class MissingPrerequisite extends Error {}
