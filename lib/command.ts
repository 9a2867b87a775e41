// A process to run: always an argv array, never a shell string.
export interface Command {
  exe: string;
  args: string[];
  sudo?: boolean;
  sudoReason?: string;
}

export const command = (exe: string, ...args: (string | string[])[]): Command => ({
  exe,
  args: args.flat(),
});
