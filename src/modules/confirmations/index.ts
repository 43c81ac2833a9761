/** The door of `confirmations`: R41, the email confirming a link payment. */
export { ConfirmationsService } from './confirmations.service.js';
export { renderConfirmationMail } from './confirmation-mail.js';
export { keepConfirmationEmail } from './confirmation-address.js';
