// Abbreviation tables (.debug_abbrev): for each abbreviation code, a DIE's tag,
// whether it has children, and its attributes with their forms. A table is
// read only as far as the codes asked for (reading a unit's own DIE needs
// only the first).
import { Cursor } from './cursor.ts';
import { FORM } from './constants.ts';

export interface AttrSpec {
  name: number;
  form: number;
  /** The value of a DW_FORM_implicit_const attribute (it lives here, not in the DIE). */
  implicit?: bigint;
}

export interface Abbrev {
  code: number;
  tag: number;
  hasChildren: boolean;
  attrs: AttrSpec[];
}

/** The abbreviation table at one offset of .debug_abbrev. */
export class AbbrevTable {
  private readonly byCode = new Map<number, Abbrev>();
  private readonly c: Cursor;
  private done = false;

  constructor(abbrev: Buffer, offset: number) {
    this.c = new Cursor(abbrev, offset, '.debug_abbrev');
  }

  get(code: number): Abbrev | undefined {
    for (;;) {
      const a = this.byCode.get(code);
      if (a || this.done) return a;
      this.readNext();
    }
  }

  private readNext(): void {
    const c = this.c;
    const code = c.uleb();
    if (code === 0) {
      this.done = true;
      return;
    }
    const tag = c.uleb();
    const hasChildren = c.u8() !== 0;
    const attrs: AttrSpec[] = [];
    for (;;) {
      const name = c.uleb();
      const form = c.uleb();
      if (name === 0 && form === 0) break;
      attrs.push(form === FORM.implicit_const ? { name, form, implicit: c.slebBig() } : { name, form });
    }
    this.byCode.set(code, { code, tag, hasChildren, attrs });
  }
}
