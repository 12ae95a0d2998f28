-- place_order() again, with the same parameters and result columns as 0021, so that one order's
-- failure never aborts the transaction it shares with other orders (group commit). Everything
-- the order does runs in a sub-block: a short line reports 'corto' as before, and any other
-- error of this order (a total beyond numeric(14,2), a text too long for its column, a broken
-- constraint) is rolled back to the block's savepoint and reported as outcome 'error', with the
-- SQLSTATE in the sku column and the server's message in the name column.
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
    EXCEPTION
        WHEN raise_exception THEN
            -- Everything this order did inside the block is rolled back.
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            IF v_short IS NOT NULL THEN
                SELECT p.stock INTO v_available FROM products p WHERE p.id = v_short AND p.tenant_id = p_tenant;
                RETURN QUERY SELECT 'corto'::text, v_short, NULL::text, NULL::text, NULL::numeric, coalesce(v_available, 0);
            ELSE
                -- A RAISE that is not ours (a trigger's, say) is an error like any other.
                RETURN QUERY SELECT 'error'::text, NULL::uuid, v_state, left(v_message, 500), NULL::numeric, NULL::integer;
            END IF;
            RETURN;
        WHEN OTHERS THEN
            -- Also rolled back, and only this order: the transaction goes on with the next one.
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            RETURN QUERY SELECT 'error'::text, NULL::uuid, v_state, left(v_message, 500), NULL::numeric, NULL::integer;
            RETURN;
    END;

    RETURN QUERY SELECT 'ok'::text, t.id, t.sku, t.name, t.price, t.stock
                   FROM unnest(p_products, v_skus, v_names, v_prices, v_stocks) AS t(id, sku, name, price, stock);
END;
$$;
