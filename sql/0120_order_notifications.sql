-- 0120: customer notifications. The WhatsApp channel gains the WhatsApp Business Account id (waba_id,
-- where its message templates live); each empresa maps notification events to an approved template
-- (notification_templates); and every change of an order's estado that the customer should hear about
-- leaves a row in the order_notifications outbox, written by a trigger inside the transaction of the
-- change itself, so a move that commits always has its notification and a replayed move has none twice.
-- The silo sends the rows off the request path (src/Grains/Notifications).
ALTER TABLE channels ADD COLUMN IF NOT EXISTS waba_id varchar(20);

CREATE TABLE IF NOT EXISTS notification_templates (
    tenant_id  uuid         NOT NULL REFERENCES tenants (id),
    event      varchar(40)  NOT NULL,
    name       varchar(512) NOT NULL,
    language   varchar(15)  NOT NULL,
    parameters varchar(20)[] NOT NULL DEFAULT '{}',
    updated_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, event)
);

CREATE TABLE IF NOT EXISTS order_notifications (
    id              uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid          NOT NULL REFERENCES tenants (id),
    order_id        uuid          NOT NULL REFERENCES orders (id),
    event           varchar(40)   NOT NULL,
    status          varchar(20)   NOT NULL DEFAULT 'pendiente' CHECK (status IN ('pendiente', 'enviada', 'fallida', 'omitida')),
    via             varchar(10)   CHECK (via IN ('texto', 'plantilla')),
    template        varchar(512),
    external_id     varchar(200),
    error_code      varchar(20),
    error_message   varchar(1000),
    attempts        integer       NOT NULL DEFAULT 0,
    next_attempt_at timestamptz   NOT NULL DEFAULT clock_timestamp(),
    created_at      timestamptz   NOT NULL DEFAULT clock_timestamp(),
    updated_at      timestamptz   NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT order_notifications_once UNIQUE (order_id, event)
);
CREATE INDEX IF NOT EXISTS order_notifications_due ON order_notifications (tenant_id, next_attempt_at) WHERE status = 'pendiente';
CREATE INDEX IF NOT EXISTS order_notifications_external ON order_notifications (external_id) WHERE external_id IS NOT NULL;

-- The customer-service window is counted from the customer's last message on the chat.
CREATE INDEX IF NOT EXISTS inbound_messages_last ON inbound_messages (conversation_key, sent_at DESC);

-- Which steps notify: every move of a WhatsApp or Telegram order with a customer to a later estado, and a
-- placement only when staff registered it (a user behind it) as confirmada: an order the agent placed in
-- the chat was already confirmed to the customer there. pendiente has no event: nothing is promised yet.
CREATE OR REPLACE FUNCTION enqueue_order_notification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.to_status <> 'pendiente' AND (NEW.from_status IS NOT NULL OR NEW.user_id IS NOT NULL) THEN
        INSERT INTO order_notifications (tenant_id, order_id, event)
        SELECT o.tenant_id, o.id, 'venta_' || NEW.to_status
          FROM orders o
         WHERE o.id = NEW.order_id AND o.channel IN ('whatsapp', 'telegram') AND o.customer_id IS NOT NULL
        ON CONFLICT ON CONSTRAINT order_notifications_once DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS order_status_history_notifies ON order_status_history;
CREATE TRIGGER order_status_history_notifies AFTER INSERT ON order_status_history
    FOR EACH ROW EXECUTE FUNCTION enqueue_order_notification();
