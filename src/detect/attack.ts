/**
 * MITRE ATT&CK (Enterprise) and kill-chain vocabulary derived from Sigma tags.
 *
 * Sigma tags are `namespace.value` (https://github.com/SigmaHQ/sigma-specification,
 * "Tags"): `attack.execution` (tactic), `attack.t1059.001` (technique or
 * sub-technique), `attack.g0007` (group), `attack.s0002` (software). Other
 * namespaces (`car.`, `cve.`, `detection.`, `tlp.`) carry no ATT&CK meaning and
 * are ignored here. Pure functions: called once per alert, never per event.
 */

/** Phases of the Lockheed Martin Cyber Kill Chain, in attack order. */
export const KILL_CHAIN_PHASES = [
  'reconnaissance',
  'weaponization',
  'delivery',
  'exploitation',
  'installation',
  'command-and-control',
  'actions-on-objectives',
] as const;
export type KillChainPhase = (typeof KILL_CHAIN_PHASES)[number];

/**
 * The 14 Enterprise tactics by short name (the hyphenated `x_mitre_shortname`),
 * with their id and kill-chain phase.
 *
 * The kill chain describes an intrusion up to the attacker's control channel;
 * everything an attacker does once in control falls into "actions on
 * objectives". The choices that are not one-to-one:
 * - resource development → weaponization: preparing infrastructure and
 *   capabilities before contact is what weaponization names;
 * - execution and privilege escalation → exploitation: code runs or gains
 *   rights by exploiting the target;
 * - persistence and defense evasion → installation: both keep the implant
 *   alive on the host;
 * - credential access, discovery, lateral movement, collection,
 *   exfiltration and impact → actions on objectives.
 */
export const TACTICS = {
  reconnaissance: { id: 'TA0043', phase: 'reconnaissance' },
  'resource-development': { id: 'TA0042', phase: 'weaponization' },
  'initial-access': { id: 'TA0001', phase: 'delivery' },
  execution: { id: 'TA0002', phase: 'exploitation' },
  persistence: { id: 'TA0003', phase: 'installation' },
  'privilege-escalation': { id: 'TA0004', phase: 'exploitation' },
  'defense-evasion': { id: 'TA0005', phase: 'installation' },
  'credential-access': { id: 'TA0006', phase: 'actions-on-objectives' },
  discovery: { id: 'TA0007', phase: 'actions-on-objectives' },
  'lateral-movement': { id: 'TA0008', phase: 'actions-on-objectives' },
  collection: { id: 'TA0009', phase: 'actions-on-objectives' },
  'command-and-control': { id: 'TA0011', phase: 'command-and-control' },
  exfiltration: { id: 'TA0010', phase: 'actions-on-objectives' },
  impact: { id: 'TA0040', phase: 'actions-on-objectives' },
} as const satisfies Record<string, { id: string; phase: KillChainPhase }>;
export type Tactic = keyof typeof TACTICS;

/** What a rule's tags say about ATT&CK; every list without duplicates, in tag order. */
export interface AttackMapping {
  tactics: Tactic[];
  /** `T1059` or `T1059.001`. */
  techniques: string[];
  /** `G0007`. */
  groups: string[];
  /** `S0002`. */
  software: string[];
  /** Phases of the tactics, in kill-chain order. */
  phases: KillChainPhase[];
}

const ATTACK_PREFIX = 'attack.';
const TECHNIQUE = /^t\d{4}(?:\.\d{3})?$/;
const GROUP = /^g\d{4}$/;
const SOFTWARE = /^s\d{4}$/;
const TACTIC_ID = /^ta\d{4}$/;

const TACTIC_BY_ID: ReadonlyMap<string, Tactic> = new Map(
  (Object.keys(TACTICS) as Tactic[]).map((tactic) => [TACTICS[tactic].id.toLowerCase(), tactic]),
);
const PHASE_ORDER: ReadonlyMap<KillChainPhase, number> = new Map(KILL_CHAIN_PHASES.map((phase, i) => [phase, i]));

/** `command_and_control`, `Command-And-Control` and `ta0011` all name the same tactic. */
export function tacticOf(name: string): Tactic | undefined {
  const normalised = name.toLowerCase().replaceAll('_', '-');
  if (Object.hasOwn(TACTICS, normalised)) return normalised as Tactic;
  return TACTIC_ID.test(normalised) ? TACTIC_BY_ID.get(normalised) : undefined;
}

export function killChainPhase(tactic: Tactic): KillChainPhase {
  return TACTICS[tactic].phase;
}

/** The kill-chain phases of some tactics, each once, in attack order. */
export function killChainPhases(tactics: readonly Tactic[]): KillChainPhase[] {
  const phases = new Set<KillChainPhase>();
  for (const tactic of tactics) {
    const known = Object.hasOwn(TACTICS, tactic) ? TACTICS[tactic] : undefined;
    if (known) phases.add(known.phase);
  }
  return [...phases].sort((a, b) => PHASE_ORDER.get(a)! - PHASE_ORDER.get(b)!);
}

/** Reads the ATT&CK tags of a rule; tags of other namespaces and unknown values are ignored. */
export function attackOf(tags: readonly unknown[]): AttackMapping {
  const tactics = new Set<Tactic>();
  const techniques = new Set<string>();
  const groups = new Set<string>();
  const software = new Set<string>();
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.length <= ATTACK_PREFIX.length) continue;
    if (tag.slice(0, ATTACK_PREFIX.length).toLowerCase() !== ATTACK_PREFIX) continue;
    const value = tag.slice(ATTACK_PREFIX.length).trim().toLowerCase();
    if (TECHNIQUE.test(value)) techniques.add(value.toUpperCase());
    else if (GROUP.test(value)) groups.add(value.toUpperCase());
    else if (SOFTWARE.test(value)) software.add(value.toUpperCase());
    else {
      const tactic = tacticOf(value);
      if (tactic) tactics.add(tactic);
    }
  }
  const tacticList = [...tactics];
  return { tactics: tacticList, techniques: [...techniques], groups: [...groups], software: [...software], phases: killChainPhases(tacticList) };
}
