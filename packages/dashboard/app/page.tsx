import { redirect } from 'next/navigation';

/** The flags list is the home page; it sends visitors without a session to the login page. */
export default function Home(): never {
  redirect('/flags');
}
