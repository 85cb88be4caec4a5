// What the list must show for each corpus message (packages/testkit/corpus), read off the raw headers by
// hand: the decoded subject, the sender's name (or address), and the date in en-US for a browser in UTC.
import type { RowExpectation } from './messages.js';

export const corpusRows: Readonly<Record<string, RowExpectation>> = {
  'mailparser-base64encodedroot.eml': { sender: 'test@example.com', subject: '(no subject)', date: '' },
  'mailparser-decoderended.eml': { sender: 'wwuaof', subject: 'Fwd: fotos', date: 'Sep 9, 2004' },
  'mailparser-delivery-status.eml': {
    sender: 'MAILER-DAEMON@amazonses.com',
    subject: 'Delivery Status Notification (Failure)',
    date: 'Feb 16, 2021',
  },
  'mailparser-htmllargecallstack.eml': {
    sender: 'test@example.com',
    subject: 'Kill the HTML parser',
    date: '',
  },
  'mailparser-large_text.eml': {
    sender: 'Brian Murray',
    subject: '[Bug 381598] Re: ubiquity crashes in ubuntu 9.04 installation',
    date: 'Aug 3, 2011',
  },
  'mailparser-mixed.eml': { sender: '(unknown sender)', subject: '(no subject)', date: '' },
  'mailparser-nested.eml': { sender: 'u@example.com', subject: '(no subject)', date: '' },
  // Folded after an encoded word: "…friendly =?UTF-8?Q?=E2=9C=94?=\n (1476358788189)".
  'mailparser-nodemailer-example.eml': {
    sender: 'Andris Kreata',
    subject: 'Nodemailer is unicode friendly ✔ (1476358788189)',
    date: 'Oct 13, 2016',
  },
  'mailparser-nodemailer.eml': {
    sender: 'Andris Kreata',
    subject: 'Nodemailer is unicode friendly ✔ (1476358788189)',
    date: 'Oct 13, 2016',
  },
  'mailparser-outofmemory.eml': {
    sender: 'test@example.com',
    subject: 'Cause out of memory error in the mailparser',
    date: '',
  },
  // 02:35 at +0200 is the 24th in UTC too.
  'mailparser-spam.eml': {
    sender: 'Matilda Klein',
    subject: '123.042 Euro pro Jahr GRARANTIERT von einer Bank! KOSTENLOS',
    date: 'Nov 24, 2015',
  },
  'postal-mime-arf.eml': { sender: 'abusedesk@example.com', subject: 'FW: Earn money', date: 'Mar 8, 2005' },
  // "MAILER-DAEMON@messagingengine.com (Mail Delivery System)": the comment is the name.
  'postal-mime-bounce.eml': {
    sender: 'Mail Delivery System',
    subject: 'Undelivered Mail Returned to Sender',
    date: 'Oct 10, 2022',
  },
  // Two adjacent Q-encoded words: no space between them survives decoding.
  'postal-mime-calendar-event.eml': {
    sender: 'Andris Reinman',
    subject: 'Invitation: Test event ⏰ @ Thu Apr 11, 2024 11am - 12pm (GMT+3) (andris@ethereal.email)',
    date: 'Apr 11, 2024',
  },
  // 23:28 at -0700 is already the 24th in UTC.
  'postal-mime-mimetorture.eml': {
    sender: 'Ryan Finnie',
    subject: "Ryan Finnie's MIME Torture Test v1.0",
    date: 'Oct 24, 2003',
  },
};
