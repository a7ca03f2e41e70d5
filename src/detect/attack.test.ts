import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attackOf, KILL_CHAIN_PHASES, killChainPhase, killChainPhases, TACTICS, tacticOf, type Tactic } from './attack.js';

describe('attackOf', () => {
  it('reads tactics, techniques, groups and software from a SigmaHQ-style tag list', () => {
    const mapping = attackOf([
      'attack.execution',
      'attack.t1059.001',
      'attack.g0007',
      'attack.s0002',
      'car.2016-04-005',
      'cve.2021-44228',
      'detection.emerging-threats',
      'tlp.white',
      'attack.t1059',
      'attack.command_and_control',
    ]);
    expect(mapping).toEqual({
      tactics: ['execution', 'command-and-control'],
      techniques: ['T1059.001', 'T1059'],
      groups: ['G0007'],
      software: ['S0002'],
      phases: ['exploitation', 'command-and-control'],
    });
  });

  it('accepts every spelling of a tactic and a tactic id, case-insensitively', () => {
    expect(attackOf(['attack.command-and-control']).tactics).toEqual(['command-and-control']);
    expect(attackOf(['ATTACK.Command_And_Control']).tactics).toEqual(['command-and-control']);
    expect(attackOf(['attack.privilege_escalation', 'attack.TA0010']).tactics).toEqual(['privilege-escalation', 'exfiltration']);
    expect(attackOf(['attack.T1003.001', 'Attack.G0016']).techniques).toEqual(['T1003.001']);
  });

  it('keeps each value once, in the order of the tags', () => {
    const mapping = attackOf(['attack.t1110', 'attack.credential_access', 'attack.T1110', 'attack.credential-access', 'attack.t1078']);
    expect(mapping.techniques).toEqual(['T1110', 'T1078']);
    expect(mapping.tactics).toEqual(['credential-access']);
  });

  it('ignores malformed ATT&CK values and other namespaces', () => {
    const mapping = attackOf([
      'attack.',
      'attack',
      'attack.t105',
      'attack.t10599',
      'attack.t1059.01',
      'attack.t1059.0011',
      'attack.g007',
      'attack.s00002',
      'attack.ta9999',
      'attack.foo',
      'attack.__proto__',
      'attack.constructor',
      'attack.toString',
      'attacker.execution',
      'xattack.execution',
      'execution',
      "attack.execution'; DROP TABLE alerts; --",
      'attack.exécution',
    ]);
    expect(mapping).toEqual({ tactics: [], techniques: [], groups: [], software: [], phases: [] });
  });

  it('never throws on hostile input and only returns well-formed ids', () => {
    const tag = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ maxLength: 20 }).map((s) => `attack.${s}`),
      fc.constantFrom('attack.t1059.001', 'attack.defense_evasion', 'attack.s0154', '\u0000', '\ud800'),
      fc.anything(),
    );
    fc.assert(
      fc.property(fc.array(tag, { maxLength: 20 }), (tags) => {
        const mapping = attackOf(tags);
        for (const t of mapping.techniques) expect(t).toMatch(/^T\d{4}(\.\d{3})?$/);
        for (const g of mapping.groups) expect(g).toMatch(/^G\d{4}$/);
        for (const s of mapping.software) expect(s).toMatch(/^S\d{4}$/);
        for (const t of mapping.tactics) expect(Object.keys(TACTICS)).toContain(t);
        expect(mapping.phases).toEqual(killChainPhases(mapping.tactics));
      }),
      { numRuns: 300 },
    );
  });
});

describe('tactics and kill-chain phases', () => {
  it('knows the 14 Enterprise tactics with distinct ids', () => {
    const tactics = Object.keys(TACTICS);
    expect(tactics).toHaveLength(14);
    expect(new Set(tactics.map((t) => TACTICS[t as Tactic].id)).size).toBe(14);
    for (const tactic of tactics) expect(tacticOf(TACTICS[tactic as Tactic].id)).toBe(tactic);
  });

  it('maps tactics to Lockheed Martin phases', () => {
    expect(killChainPhase('reconnaissance')).toBe('reconnaissance');
    expect(killChainPhase('resource-development')).toBe('weaponization');
    expect(killChainPhase('initial-access')).toBe('delivery');
    expect(killChainPhase('execution')).toBe('exploitation');
    expect(killChainPhase('persistence')).toBe('installation');
    expect(killChainPhase('command-and-control')).toBe('command-and-control');
    expect(killChainPhase('exfiltration')).toBe('actions-on-objectives');
    expect(killChainPhase('lateral-movement')).toBe('actions-on-objectives');
  });

  it('covers every phase and orders phases by the kill chain, each once', () => {
    const all = Object.keys(TACTICS) as Tactic[];
    expect(killChainPhases(all)).toEqual([...KILL_CHAIN_PHASES]);
    expect(killChainPhases(['impact', 'command-and-control', 'initial-access', 'exfiltration'])).toEqual([
      'delivery',
      'command-and-control',
      'actions-on-objectives',
    ]);
    expect(killChainPhases([])).toEqual([]);
    expect(killChainPhases(['bogus' as Tactic])).toEqual([]);
  });

  it('returns undefined for names that are not tactics', () => {
    expect(tacticOf('hasOwnProperty')).toBeUndefined();
    expect(tacticOf('ta0000')).toBeUndefined();
    expect(tacticOf('')).toBeUndefined();
  });
});
