// The SDK's RuntimeProgram over a BpfProgram: each attach method gives an
// Attachment that destroys its link (on a worker thread when detached in
// parallel), and `details()` answers `-v` from fdinfo and the object's ELF.
import type { Attachment, ProgramDetails, RuntimeError, RuntimeProgram, TimedRun } from '../../../sdk/index.ts';
import type { BpfProgram, Link } from './program.ts';
import { BPF_INSN_BYTES, programFdInfo } from './program-details.ts';

/**
 * The packet a timed run hands the program: the kernel refuses a packet
 * program's run on less than an Ethernet header (14 bytes).
 */
const PACKET = new Uint8Array(14);

function attachment(link: Link): Attachment {
  return { detach: () => link.destroy(), detachAsync: () => link.destroyAsync() };
}

/** One attachment for several links (a uprobe link per offset where uprobe_multi is missing). */
function attachments(links: Link[]): Attachment {
  if (links.length === 1) return attachment(links[0]!);
  return {
    detach: () => links.forEach((l) => l.destroy()),
    detachAsync: () => Promise.all(links.map((l) => l.destroyAsync())).then(() => undefined),
  };
}

export class LibbpfProgram implements RuntimeProgram {
  /**
   * @param sizes the object's function sizes in bytes, read when first asked
   */
  constructor(
    readonly program: BpfProgram,
    private readonly sizes: () => ReadonlyMap<string, number>,
  ) {}

  get name(): string {
    return this.program.name;
  }

  get section(): string {
    return this.program.section;
  }

  setAutoload(autoload: boolean): void {
    this.program.setAutoload(autoload);
  }

  details(): ProgramDetails {
    const id = programFdInfo(this.program.fd).prog_id;
    const bytes = this.sizes().get(this.program.name);
    return {
      ...(id !== undefined ? { id: Number(id) } : {}),
      ...(bytes !== undefined ? { instructions: bytes / BPF_INSN_BYTES, bytes } : {}),
    };
  }

  attachTracepoint(category: string, event: string): Attachment {
    return attachment(this.program.attachTracepoint(category, event));
  }

  attachRawTracepoint(name: string): Attachment {
    return attachment(this.program.attachRawTracepoint(name));
  }

  attachPerfEvent(perfFd: number): Attachment {
    return attachment(this.program.attachPerfEvent(perfFd));
  }

  attachUprobe(retprobe: boolean, pid: number, binaryPath: string, fileOffset: number): Attachment {
    return attachment(this.program.attachUprobe(retprobe, pid, binaryPath, fileOffset));
  }

  attachUprobeMulti(retprobe: boolean, pid: number, binaryPath: string, fileOffsets: number[], cookies: number[], refused?: (index: number, error: RuntimeError) => void): Attachment {
    return attachments(this.program.attachUprobeMulti(retprobe, pid, binaryPath, fileOffsets, cookies, refused));
  }

  attachUsdt(pid: number, binaryPath: string, provider: string, name: string): Attachment {
    return attachment(this.program.attachUsdt(pid, binaryPath, provider, name));
  }

  attachIter(): Attachment {
    const link = this.program.attachIter();
    return { detach: () => link.destroy(), drive: () => void link.read() };
  }

  attachAuto(): Attachment {
    return attachment(this.program.attach());
  }

  testRun(): number {
    return this.program.testRun();
  }

  timedRun(repeat: number): TimedRun {
    return this.program.measuredRun({ data: PACKET, repeat });
  }
}
