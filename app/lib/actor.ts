/** Whoever a model function acts for: a signed-in user. */
export interface Actor {
  id: string;
  name: string;
  email: string;
}
