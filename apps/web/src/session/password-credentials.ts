/**
 * "Remember the password in this browser": the browser's own password store, through the Credential
 * Management API (`PasswordCredential`, Chromium-based browsers). The app never writes the password
 * anywhere itself (no IndexedDB, localStorage or sessionStorage); the browser keeps it in its password
 * manager, where the user sees and deletes it. Off unless the bridge's `session.rememberPasswords`
 * allows it, opt-in at each sign-in, never with "This is a shared computer".
 */
export interface PasswordStore {
  /** The browser has the API (PasswordCredential and navigator.credentials). */
  available(): boolean;
  /** After a login that worked: the browser may ask the user whether to save it. */
  save(account: SavedPassword): Promise<void>;
  /** The password the browser has for `username` (it may ask the user first); undefined: none given. */
  find(username: string): Promise<string | undefined>;
  /** After sign-out: the next `find` asks the user again instead of answering silently. */
  requireAsking(): Promise<void>;
}

export interface SavedPassword {
  /**
   * The username: the credential's id, which the browser also fills into the form's username field.
   * One password per username per origin (two servers of one bridge with the same username share it).
   */
  readonly username: string;
  readonly password: string;
  /** How the browser's password manager names it ("user on server"). */
  readonly name: string;
}

/** What the store needs of the page (tests give their own). */
export interface CredentialsEnvironment {
  readonly credentials: CredentialsContainer | undefined;
  readonly PasswordCredential: (new (data: PasswordCredentialData) => Credential) | undefined;
}

interface PasswordCredentialData {
  readonly id: string;
  readonly password: string;
  readonly name?: string;
}

/** The few fields of a PasswordCredential read back (lib.dom has no type for it). */
interface ReadCredential {
  readonly type?: string;
  readonly id?: string;
  readonly password?: unknown;
}

function pageEnvironment(): CredentialsEnvironment {
  const scope = globalThis as { PasswordCredential?: CredentialsEnvironment['PasswordCredential'] };
  return {
    credentials: typeof navigator === 'undefined' ? undefined : navigator.credentials,
    PasswordCredential: scope.PasswordCredential,
  };
}

/** The page's password store (Chromium); `available()` is false where the API is missing. */
export function browserPasswordStore(env: CredentialsEnvironment = pageEnvironment()): PasswordStore {
  const { credentials, PasswordCredential } = env;
  const available = () => credentials !== undefined && PasswordCredential !== undefined;
  return {
    available,
    async save({ username, password, name }) {
      if (!available() || username === '' || password === '') return;
      await credentials!.store(new PasswordCredential!({ id: username, password, name }));
    },
    async find(username) {
      if (!available()) return undefined;
      const found = (await credentials!
        .get({ password: true, mediation: 'optional' } as CredentialRequestOptions)
        .catch(() => null)) as ReadCredential | null;
      if (found?.type !== 'password' || found.id !== username || typeof found.password !== 'string')
        return undefined;
      return found.password;
    },
    async requireAsking() {
      if (available()) await credentials!.preventSilentAccess().catch(() => undefined);
    },
  };
}

/** Whether "Remember the password in this browser" may be offered for this sign-in. */
export function mayRememberPassword(
  policy: { readonly rememberPasswords?: boolean },
  store: PasswordStore | undefined,
  sharedComputer: boolean,
): boolean {
  return policy.rememberPasswords === true && store?.available() === true && !sharedComputer;
}
