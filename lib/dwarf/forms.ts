// Attribute values as they are stored (DW_FORM_*): read one, or step over one.
// Strings, addresses and references stay in their stored form (an offset, an
// index) until asked for: resolving them needs the unit (units.ts).
import { Cursor, DwarfError } from './cursor.ts';
import { FORM } from './constants.ts';
import type { AttrSpec } from './abbrev.ts';

/** What a unit header says about how its DIEs are encoded. */
export interface Encoding {
  version: number;
  addressSize: number;
  offsetSize: 4 | 8;
}

/**
 * A stored value: a number (offsets, indexes, small constants, flags), a
 * bigint (8-byte and LEB128 constants, addresses), a string (DW_FORM_string)
 * or bytes (blocks, expressions, 16-byte constants).
 */
export type RawValue = number | bigint | string | Buffer;

export interface Attr {
  name: number;
  form: number;
  value: RawValue;
}

/** Reads one attribute value of `form` at the cursor. */
export function readForm(c: Cursor, spec: AttrSpec, enc: Encoding): Attr {
  let form = spec.form;
  if (form === FORM.indirect) form = c.uleb();
  return { name: spec.name, form, value: readValue(c, form, spec, enc) };
}

function readValue(c: Cursor, form: number, spec: AttrSpec, enc: Encoding): RawValue {
  switch (form) {
    case FORM.addr:
      return c.uint(enc.addressSize);
    case FORM.data1:
    case FORM.ref1:
    case FORM.flag:
    case FORM.strx1:
    case FORM.addrx1:
      return c.u8();
    case FORM.data2:
    case FORM.ref2:
    case FORM.strx2:
    case FORM.addrx2:
      return c.u16();
    case FORM.strx3:
    case FORM.addrx3:
      return c.u24();
    case FORM.data4:
    case FORM.ref4:
    case FORM.ref_sup4:
    case FORM.strx4:
    case FORM.addrx4:
      return c.u32();
    case FORM.data8:
    case FORM.ref_sig8:
      return c.u64();
    case FORM.ref8:
    case FORM.ref_sup8:
      return c.u64n();
    case FORM.data16:
      return c.bytes(16);
    case FORM.string:
      return c.cstring();
    case FORM.block:
    case FORM.exprloc:
      return c.bytes(c.uleb());
    case FORM.block1:
      return c.bytes(c.u8());
    case FORM.block2:
      return c.bytes(c.u16());
    case FORM.block4:
      return c.bytes(c.u32());
    case FORM.sdata:
      return c.slebBig();
    case FORM.udata:
      return c.ulebBig();
    case FORM.ref_udata:
    case FORM.strx:
    case FORM.addrx:
    case FORM.loclistx:
    case FORM.rnglistx:
    case FORM.GNU_addr_index:
    case FORM.GNU_str_index:
      return c.uleb();
    case FORM.strp:
    case FORM.line_strp:
    case FORM.sec_offset:
    case FORM.strp_sup:
    case FORM.GNU_ref_alt:
    case FORM.GNU_strp_alt:
      return c.offset(enc.offsetSize);
    case FORM.ref_addr:
      return enc.version <= 2 ? Number(c.uint(enc.addressSize)) : c.offset(enc.offsetSize);
    case FORM.flag_present:
      return 1;
    case FORM.implicit_const:
      return spec.implicit ?? 0n;
    default:
      throw new DwarfError(`${c.section}: unknown attribute form 0x${form.toString(16)} at offset ${c.pos}`);
  }
}

/** A stored integer as a number (undefined for strings and blocks). */
export function asNumber(v: RawValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}
