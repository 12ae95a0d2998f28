-- 0100: the order lifecycle. An order is pendiente, confirmada, preparando, enviada, entregada or
-- anulada; order_status_history keeps every change (the placement too, from NULL to the first
-- estado), written in the same transaction as the change. The TenantGrain applies the rules
-- (src/Grains/Sales/OrderLifecycle.cs); the database keeps the estados known and never lets an
-- order reach the same estado twice, so a change replayed by a second activation cannot repeat a row.
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('pendiente', 'confirmada', 'preparando', 'enviada', 'entregada', 'anulada'));

CREATE TABLE IF NOT EXISTS order_status_history (
    id          bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   uuid          NOT NULL REFERENCES tenants (id),
    order_id    uuid          NOT NULL REFERENCES orders (id),
    from_status varchar(20)   CHECK (from_status IN ('pendiente', 'confirmada', 'preparando', 'enviada', 'entregada', 'anulada')),
    to_status   varchar(20)   NOT NULL CHECK (to_status IN ('pendiente', 'confirmada', 'preparando', 'enviada', 'entregada', 'anulada')),
    user_id     uuid,
    note        varchar(500),
    created_at  timestamptz   NOT NULL,
    CHECK (from_status IS DISTINCT FROM to_status),
    CONSTRAINT order_status_history_once UNIQUE (order_id, to_status)
);

-- The orders placed before this script: their placement and, for annulled ones, their annulment.
INSERT INTO order_status_history (tenant_id, order_id, from_status, to_status, user_id, created_at)
SELECT o.tenant_id, o.id, NULL, 'confirmada', o.created_by, o.created_at FROM orders o ORDER BY o.created_at, o.id;
INSERT INTO order_status_history (tenant_id, order_id, from_status, to_status, user_id, created_at)
SELECT o.tenant_id, o.id, 'confirmada', 'anulada', o.annulled_by, coalesce(o.annulled_at, o.created_at)
  FROM orders o WHERE o.status = 'anulada' ORDER BY o.annulled_at, o.id;

-- Whether the orders the agent places in a chat start pendiente (staff confirm them) or confirmada.
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS chat_orders_pending boolean NOT NULL DEFAULT false;

-- place_order() of sql/0080 with the order's first estado (p_status: 'confirmada' or 'pendiente';
-- either way the stock is taken at placement) and its first history row, both inside the order's
-- own sub-block, so a failure still undoes only this order.
CREATE OR REPLACE FUNCTION place_order(
    p_tenant uuid, p_order uuid, p_customer uuid, p_channel text, p_notes text, p_user uuid,
    p_now timestamptz, p_products uuid[], p_quantities integer[], p_audit uuid, p_status text)
RETURNS TABLE (outcome text, product_id uuid, sku text, name text, price numeric, stock integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_skus text[] := '{}';
    v_names text[] := '{}';
    v_prices numeric[] := '{}';
    v_stocks integer[] := '{}';
    v_total numeric(14,2) := 0;
    v_short uuid;
    v_available integer;
    v_state text;
    v_message text;
    r record;
BEGIN
    IF p_customer IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = p_customer AND c.tenant_id = p_tenant) THEN
        RETURN QUERY SELECT 'cliente'::text, NULL::uuid, NULL::text, NULL::text, NULL::numeric, NULL::integer;
        RETURN;
    END IF;

    BEGIN
        IF p_status IS NULL OR p_status NOT IN ('confirmada', 'pendiente') THEN
            RAISE EXCEPTION 'an order starts confirmada or pendiente, not %', p_status USING ERRCODE = '22023';
        END IF;

        FOR i IN 1 .. cardinality(p_products) LOOP
            UPDATE products p
               SET stock = p.stock - p_quantities[i], updated_at = p_now
             WHERE p.id = p_products[i] AND p.tenant_id = p_tenant AND p.active AND p.stock >= p_quantities[i]
            RETURNING p.sku, p.name, p.price, p.stock INTO r;
            IF NOT FOUND THEN
                v_short := p_products[i];
                RAISE EXCEPTION 'short' USING ERRCODE = 'P0001';
            END IF;
            v_skus := v_skus || r.sku::text;
            v_names := v_names || r.name::text;
            v_prices := v_prices || r.price;
            v_stocks := v_stocks || r.stock;
            v_total := v_total + r.price * p_quantities[i];
        END LOOP;

        INSERT INTO orders (id, tenant_id, customer_id, status, total, channel, notes, created_by, created_at)
        VALUES (p_order, p_tenant, p_customer, p_status, v_total, p_channel, p_notes, p_user, p_now);
        INSERT INTO order_items (order_id, line, product_id, sku, name, quantity, unit_price, subtotal)
        SELECT p_order, t.line, t.id, t.sku, t.name, t.quantity, t.price, t.price * t.quantity
          FROM unnest(p_products, v_skus, v_names, p_quantities, v_prices) WITH ORDINALITY
            AS t(id, sku, name, quantity, price, line);
        INSERT INTO order_status_history (tenant_id, order_id, from_status, to_status, user_id, created_at)
        VALUES (p_tenant, p_order, NULL, p_status, p_user, p_now);
        INSERT INTO audit_log (id, tenant_id, user_id, entity, entity_id, action, detail, created_at)
        SELECT p_audit, p_tenant, p_user, 'venta', p_order::text, 'crear',
               jsonb_build_object('total', v_total, 'canal', p_channel, 'cliente_id', p_customer, 'estado', p_status,
                   'items', jsonb_agg(jsonb_build_object('producto_id', t.id, 'sku', t.sku, 'cantidad', t.quantity, 'precio_unitario', t.price))),
               p_now
          FROM unnest(p_products, v_skus, p_quantities, v_prices) AS t(id, sku, quantity, price);
    EXCEPTION
        WHEN raise_exception THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            IF v_short IS NOT NULL THEN
                SELECT p.stock INTO v_available FROM products p WHERE p.id = v_short AND p.tenant_id = p_tenant;
                RETURN QUERY SELECT 'corto'::text, v_short, NULL::text, NULL::text, NULL::numeric, coalesce(v_available, 0);
            ELSE
                RETURN QUERY SELECT 'error'::text, NULL::uuid, v_state, left(v_message, 500), NULL::numeric, NULL::integer;
            END IF;
            RETURN;
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            RETURN QUERY SELECT 'error'::text, NULL::uuid, v_state, left(v_message, 500), NULL::numeric, NULL::integer;
            RETURN;
    END;

    RETURN QUERY SELECT 'ok'::text, t.id, t.sku, t.name, t.price, t.stock
                   FROM unnest(p_products, v_skus, v_names, v_prices, v_stocks) AS t(id, sku, name, price, stock);
END;
$$;

-- place_order_once() of sql/0061 with the first estado passed on.
CREATE OR REPLACE FUNCTION place_order_once(
    p_key text, p_tenant uuid, p_order uuid, p_customer uuid, p_channel text, p_notes text, p_user uuid,
    p_now timestamptz, p_products uuid[], p_quantities integer[], p_audit uuid, p_status text)
RETURNS TABLE (outcome text, product_id uuid, sku text, name text, price numeric, stock integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_existing uuid;
    v_placed boolean := false;
    r record;
BEGIN
    IF p_key IS NOT NULL THEN
        INSERT INTO order_keys (tenant_id, key, order_id) VALUES (p_tenant, p_key, p_order)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            SELECT k.order_id INTO v_existing FROM order_keys k WHERE k.tenant_id = p_tenant AND k.key = p_key;
            RETURN QUERY SELECT 'repetido'::text, v_existing, NULL::text, NULL::text, NULL::numeric, NULL::integer;
            RETURN;
        END IF;
    END IF;

    FOR r IN SELECT * FROM place_order(p_tenant, p_order, p_customer, p_channel, p_notes, p_user, p_now, p_products, p_quantities, p_audit, p_status) LOOP
        v_placed := r.outcome = 'ok';
        outcome := r.outcome; product_id := r.product_id; sku := r.sku; name := r.name; price := r.price; stock := r.stock;
        RETURN NEXT;
    END LOOP;

    IF p_key IS NOT NULL AND NOT v_placed THEN
        DELETE FROM order_keys k WHERE k.tenant_id = p_tenant AND k.key = p_key;
    END IF;
END;
$$;

-- The earlier signatures stay for silos of the previous version during a rolling restart; they
-- place confirmed orders through the functions above, history row included.
CREATE OR REPLACE FUNCTION place_order(
    p_tenant uuid, p_order uuid, p_customer uuid, p_channel text, p_notes text, p_user uuid,
    p_now timestamptz, p_products uuid[], p_quantities integer[], p_audit uuid)
RETURNS TABLE (outcome text, product_id uuid, sku text, name text, price numeric, stock integer)
LANGUAGE sql AS $$
    SELECT * FROM place_order(p_tenant, p_order, p_customer, p_channel, p_notes, p_user, p_now, p_products, p_quantities, p_audit, 'confirmada');
$$;

CREATE OR REPLACE FUNCTION place_order_once(
    p_key text, p_tenant uuid, p_order uuid, p_customer uuid, p_channel text, p_notes text, p_user uuid,
    p_now timestamptz, p_products uuid[], p_quantities integer[], p_audit uuid)
RETURNS TABLE (outcome text, product_id uuid, sku text, name text, price numeric, stock integer)
LANGUAGE sql AS $$
    SELECT * FROM place_order_once(p_key, p_tenant, p_order, p_customer, p_channel, p_notes, p_user, p_now, p_products, p_quantities, p_audit, 'confirmada');
$$;
