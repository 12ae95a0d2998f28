-- WhatsApp inbox rows are keyed by our channel id and Meta's message id ("{channel_id:N}:{wamid}"),
-- as Telegram's already are ("{channel_id:N}:{update_id}"): one empresa's delivery can no longer
-- shadow another's. Rows stored before this script are re-keyed the same way, so a retry of an old
-- delivery still finds its row. Room for the 33-character prefix in front of a 200-character id.
ALTER TABLE inbound_messages ALTER COLUMN message_id TYPE varchar(240);

UPDATE inbound_messages AS m
   SET message_id = replace(c.id::text, '-', '') || ':' || m.message_id
  FROM channels AS c
 WHERE m.channel = 'whatsapp'
   AND c.kind = 'whatsapp'
   AND c.tenant_id = m.tenant_id
   AND position(':' IN m.message_id) = 0;
