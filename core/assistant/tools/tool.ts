/**
 * What a tool is (one per file in this folder): a name, a description that says what it does and when to use it,
 * zod parameters (turned into the JSON schema the model sees, and used again to parse what the model sends), and
 * an implementation that calls core. Recoverable failures come back as `{ error }` for the model to read; they are
 * never thrown.
 *
 * Tools act for the chat user of the current turn only: the context carries who that is, and no tool takes a
 * user, a student or a tenant from the model.
 */
import type { z } from "zod";
import type { KbEntry, KbPassage } from "../../policy/kb.js";
import type { SearchResult } from "../../policy/index.js";
import type { ChatContext, FamilyPort } from "../ports.js";

/** A passage the model was shown, by the id it was shown under (`<entry id>#<position>`). */
export interface SeenPassage {
  id: string;
  entry: KbEntry;
  passage: KbPassage;
}

/** What the answer may rest on, filled in as tools run during one turn. */
export interface Evidence {
  /** Passages returned by search_policy, in the order first seen. */
  passages: Map<string, SeenPassage>;
  /** Texts our own code produced for this user (status, binding, handoff replies): the model may repeat them. */
  facts: string[];
  /** Calls per tool name (tools limit themselves per turn). */
  calls: Map<string, number>;
  /** A person was asked for (ask_for_person succeeded). */
  handedOff: boolean;
}

export function newEvidence(): Evidence {
  return { passages: new Map(), facts: [], calls: new Map(), handedOff: false };
}

export interface ToolContext {
  /** The chat user of this turn: every tool acts for this user only. */
  chat: ChatContext;
  /** The user's message this turn (binding details must come from it; status narrows by the child it names). */
  text: string;
  family: FamilyPort;
  search(query: string): SearchResult;
  evidence: Evidence;
}

export type ToolResult = { error: string } | Record<string, unknown>;

export interface Tool<P extends z.ZodObject = z.ZodObject> {
  name: string;
  /** What it does and when to use it (the model reads this). */
  description: string;
  parameters: P;
  /** Most calls per turn; more get `{ error }`. Default: unlimited (within the round limit). */
  maxCalls?: number;
  // Method syntax on purpose: tools with their own parameter types go into one list.
  run(args: z.output<P>, ctx: ToolContext): Promise<ToolResult>;
}

export function defineTool<P extends z.ZodObject>(tool: Tool<P>): Tool<P> {
  return tool;
}
