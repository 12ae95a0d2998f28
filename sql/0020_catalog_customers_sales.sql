-- Catalog, customers and sales of each empresa. Stock is guarded here as well as in the
-- TenantGrain: it can never go below zero, whatever writes it.
CREATE TABLE IF NOT EXISTS products (
    id          uuid          PRIMARY KEY,
    tenant_id   uuid          NOT NULL REFERENCES tenants (id),
    sku         varchar(64)   NOT NULL CHECK (length(btrim(sku)) > 0),
    name        varchar(200)  NOT NULL CHECK (length(btrim(name)) > 0),
    description varchar(2000) NOT NULL DEFAULT '',
    price       numeric(14,2) NOT NULL CHECK (price > 0),
    stock       integer       NOT NULL CHECK (stock >= 0),
    category    varchar(100)  NOT NULL DEFAULT 'General',
    active      boolean       NOT NULL DEFAULT true,
    created_at  timestamptz   NOT NULL DEFAULT now(),
    updated_at  timestamptz   NOT NULL DEFAULT now()
);
-- SKUs are unique per empresa regardless of case.
CREATE UNIQUE INDEX IF NOT EXISTS products_tenant_sku ON products (tenant_id, lower(sku));

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE IF NOT EXISTS customers (
    id          uuid          PRIMARY KEY,
    tenant_id   uuid          NOT NULL REFERENCES tenants (id),
    name        varchar(200)  NOT NULL CHECK (length(btrim(name)) > 0),
    phone       varchar(16)   NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    email       varchar(254),
    document    varchar(40),
    address     varchar(500),
    notes       varchar(2000),
    created_at  timestamptz   NOT NULL DEFAULT now(),
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, phone)
);
CREATE INDEX IF NOT EXISTS customers_tenant_created ON customers (tenant_id, created_at);

CREATE TABLE IF NOT EXISTS orders (
    id          uuid          PRIMARY KEY,
    tenant_id   uuid          NOT NULL REFERENCES tenants (id),
    customer_id uuid          REFERENCES customers (id),
    status      varchar(20)   NOT NULL CHECK (status IN ('confirmada', 'anulada')),
    total       numeric(14,2) NOT NULL CHECK (total >= 0),
    channel     varchar(20)   NOT NULL DEFAULT 'api',
    notes       varchar(1000),
    created_by  uuid,
    created_at  timestamptz   NOT NULL DEFAULT now(),
    annulled_at timestamptz,
    annulled_by uuid
);
CREATE INDEX IF NOT EXISTS orders_tenant_created ON orders (tenant_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS orders_tenant_customer ON orders (tenant_id, customer_id);

CREATE TABLE IF NOT EXISTS order_items (
    order_id    uuid          NOT NULL REFERENCES orders (id),
    line        integer       NOT NULL,
    product_id  uuid          NOT NULL REFERENCES products (id),
    sku         varchar(64)   NOT NULL,
    name        varchar(200)  NOT NULL,
    quantity    integer       NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
    unit_price  numeric(14,2) NOT NULL CHECK (unit_price > 0),
    subtotal    numeric(14,2) NOT NULL CHECK (subtotal = unit_price * quantity),
    PRIMARY KEY (order_id, line)
);
CREATE INDEX IF NOT EXISTS order_items_product ON order_items (product_id);
