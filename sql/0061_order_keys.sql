-- Orders placed with an idempotency key (a chat order: the inbound message ids that confirmed it)
-- are placed once per key and empresa. place_order_once() claims the key and places the order in
-- the caller's transaction; a replay of the same key gets the first order back ('repetido') and
-- takes no stock. place_order() itself is unchanged.
CREATE TABLE IF NOT EXISTS order_keys (
    tenant_id  uuid         NOT NULL REFERENCES tenants (id),
    key        varchar(200) NOT NULL,
    order_id   uuid         NOT NULL REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
    created_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);

CREATE OR REPLACE FUNCTION place_order_once(
    p_key text, p_tenant uuid, p_order uuid, p_customer uuid, p_channel text, p_notes text, p_user uuid,
    p_now timestamptz, p_products uuid[], p_quantities integer[], p_audit uuid)
RETURNS TABLE (outcome text, product_id uuid, sku text, name text, price numeric, stock integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_existing uuid;
    v_placed boolean := false;
    r record;
BEGIN
    IF p_key IS NOT NULL THEN
        -- The claim comes first: a concurrent transaction with the same key waits here for ours.
        INSERT INTO order_keys (tenant_id, key, order_id) VALUES (p_tenant, p_key, p_order)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            SELECT k.order_id INTO v_existing FROM order_keys k WHERE k.tenant_id = p_tenant AND k.key = p_key;
            RETURN QUERY SELECT 'repetido'::text, v_existing, NULL::text, NULL::text, NULL::numeric, NULL::integer;
            RETURN;
        END IF;
    END IF;

    FOR r IN SELECT * FROM place_order(p_tenant, p_order, p_customer, p_channel, p_notes, p_user, p_now, p_products, p_quantities, p_audit) LOOP
        v_placed := r.outcome = 'ok';
        outcome := r.outcome; product_id := r.product_id; sku := r.sku; name := r.name; price := r.price; stock := r.stock;
        RETURN NEXT;
    END LOOP;

    IF p_key IS NOT NULL AND NOT v_placed THEN
        -- A refused order keeps no claim: the same key may place it later.
        DELETE FROM order_keys k WHERE k.tenant_id = p_tenant AND k.key = p_key;
    END IF;
END;
$$;
