-- Places one order atomically: takes every line's stock (only if there is enough), records the
-- order, its items and its audit row. A short line undoes the whole order and reports the
-- product and what is available, so many orders can share one transaction and one commit.
CREATE OR REPLACE FUNCTION place_order(
    p_tenant uuid, p_order uuid, p_customer uuid, p_channel text, p_notes text, p_user uuid,
    p_now timestamptz, p_products uuid[], p_quantities integer[], p_audit uuid)
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
    r record;
BEGIN
    IF p_customer IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = p_customer AND c.tenant_id = p_tenant) THEN
        RETURN QUERY SELECT 'cliente'::text, NULL::uuid, NULL::text, NULL::text, NULL::numeric, NULL::integer;
        RETURN;
    END IF;

    BEGIN
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
        VALUES (p_order, p_tenant, p_customer, 'confirmada', v_total, p_channel, p_notes, p_user, p_now);
        INSERT INTO order_items (order_id, line, product_id, sku, name, quantity, unit_price, subtotal)
        SELECT p_order, t.line, t.id, t.sku, t.name, t.quantity, t.price, t.price * t.quantity
          FROM unnest(p_products, v_skus, v_names, p_quantities, v_prices) WITH ORDINALITY
            AS t(id, sku, name, quantity, price, line);
        INSERT INTO audit_log (id, tenant_id, user_id, entity, entity_id, action, detail, created_at)
        SELECT p_audit, p_tenant, p_user, 'venta', p_order::text, 'crear',
               jsonb_build_object('total', v_total, 'canal', p_channel, 'cliente_id', p_customer,
                   'items', jsonb_agg(jsonb_build_object('producto_id', t.id, 'sku', t.sku, 'cantidad', t.quantity, 'precio_unitario', t.price))),
               p_now
          FROM unnest(p_products, v_skus, p_quantities, v_prices) AS t(id, sku, quantity, price);
    EXCEPTION WHEN raise_exception THEN
        -- Everything this order did inside the block is rolled back.
        SELECT p.stock INTO v_available FROM products p WHERE p.id = v_short AND p.tenant_id = p_tenant;
        RETURN QUERY SELECT 'corto'::text, v_short, NULL::text, NULL::text, NULL::numeric, coalesce(v_available, 0);
        RETURN;
    END;

    RETURN QUERY SELECT 'ok'::text, t.id, t.sku, t.name, t.price, t.stock
                   FROM unnest(p_products, v_skus, v_names, v_prices, v_stocks) AS t(id, sku, name, price, stock);
END;
$$;
