/** Request parameters as they arrived, keeping repeats so that duplicates can be refused. */
export class Params {
  private constructor(private readonly map: Map<string, string[]>) {}

  static fromSearchParams(sp: URLSearchParams): Params {
    const map = new Map<string, string[]>();
    for (const [k, v] of sp) {
      const list = map.get(k);
      if (list) list.push(v);
      else map.set(k, [v]);
    }
    return new Params(map);
  }

  static fromUrlEncoded(body: string): Params {
    return Params.fromSearchParams(new URLSearchParams(body));
  }

  static fromRecord(rec: Record<string, string | undefined>): Params {
    const map = new Map<string, string[]>();
    for (const [k, v] of Object.entries(rec)) if (v !== undefined) map.set(k, [v]);
    return new Params(map);
  }

  static empty(): Params {
    return new Params(new Map());
  }

  /** The single value; undefined when absent. Repeated parameters are detected by `repeated()`. */
  get(name: string): string | undefined {
    return this.map.get(name)?.[0];
  }

  all(name: string): string[] {
    return this.map.get(name) ?? [];
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  isRepeated(name: string): boolean {
    return (this.map.get(name)?.length ?? 0) > 1;
  }

  /** Names of parameters given more than once. */
  repeated(): string[] {
    return [...this.map].filter(([, v]) => v.length > 1).map(([k]) => k);
  }

  names(): string[] {
    return [...this.map.keys()];
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.map) out[k] = v[0]!;
    return out;
  }
}
