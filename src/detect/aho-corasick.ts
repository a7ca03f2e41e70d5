/**
 * Multi-pattern substring search (Aho-Corasick): finds which of thousands
 * of needles occur in a text in one pass over the text, however many
 * needles there are. The rule index uses it to find, per event field, the
 * rules whose required substrings are present.
 */
interface Node {
  next: Map<number, Node>;
  fail: Node | undefined;
  /** Ids of the needles ending here, including those reached through failure links. */
  out: number[];
}

function node(): Node {
  return { next: new Map(), fail: undefined, out: [] };
}

export class AhoCorasick {
  private readonly root = node();

  /** Needles by id; empty needles are not allowed (they would match everything). */
  constructor(needles: readonly string[]) {
    needles.forEach((needle, id) => {
      if (needle.length === 0) throw new Error('AhoCorasick: empty needle');
      let at = this.root;
      for (let i = 0; i < needle.length; i++) {
        const c = needle.charCodeAt(i);
        let child = at.next.get(c);
        if (child === undefined) {
          child = node();
          at.next.set(c, child);
        }
        at = child;
      }
      at.out.push(id);
    });
    // Breadth-first: a node's failure link is the longest proper suffix that is also a path from the root.
    const queue: Node[] = [];
    for (const child of this.root.next.values()) {
      child.fail = this.root;
      queue.push(child);
    }
    for (let q = 0; q < queue.length; q++) {
      const current = queue[q];
      for (const [c, child] of current.next) {
        let f = current.fail;
        while (f !== undefined && !f.next.has(c)) f = f.fail;
        child.fail = f === undefined ? this.root : f.next.get(c)!;
        if (child.fail.out.length > 0) child.out = child.out.concat(child.fail.out);
        queue.push(child);
      }
    }
  }

  /** Calls `found` with the id of every needle that occurs in `text` (an id may be reported more than once). */
  search(text: string, found: (id: number) => void): void {
    let at = this.root;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      while (at !== this.root && !at.next.has(c)) at = at.fail!;
      at = at.next.get(c) ?? this.root;
      const out = at.out;
      for (let k = 0; k < out.length; k++) found(out[k]);
    }
  }
}
