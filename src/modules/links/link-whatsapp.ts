/** R36: the WhatsApp template and its parameters live with the message texts (R37); see docs/messaging.md. */
export {
  fillTemplate,
  WHATSAPP_TEMPLATE_TEXT,
  whatsAppMessage,
  whatsAppParams,
} from '../messages/domain/whatsapp-template.js';
