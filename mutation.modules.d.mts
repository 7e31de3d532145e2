/** Types of mutation.modules.mjs (plain JavaScript so stryker.config.mjs can read it on Node 20). */
export interface MutationModule {
  id: string;
  name: string;
  mutate: string[];
  tests: string[];
}
export declare const mutationModules: MutationModule[];
export declare function selectedModules(env?: string): MutationModule[];
