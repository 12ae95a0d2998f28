using System.Net;
using System.Text;
using AgenteVendedor.Testing;
using Npgsql;

namespace AgenteVendedor.Api.Tests;

/// <summary>One silo and the Api on a database of their own: these tests add fault triggers to its tables.</summary>
public sealed class OrderHardeningFixture : IAsyncLifetime
{
    public PostgresDatabase Database { get; private set; } = null!;

    public ProductStack Stack { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await PostgresDatabase.CreateAsync();
        await ExecuteAsync(FaultTriggers);
        Stack = await ProductStack.StartAsync(Database);
    }

    public ApiClient Anonymous() => new(Stack.CreateClient());

    public async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public const string RefuseAtCommit = "rechazar-al-confirmar";
    public const string CutAtCommit = "cortar-al-confirmar";

    // Faults only a test asks for, by the order's notes, checked at COMMIT (deferred): one that the
    // server refuses, and one that loses the connection while the commit is under way.
    private const string FaultTriggers = $"""
        CREATE FUNCTION test_commit_faults() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.notes = '{RefuseAtCommit}' THEN
                RAISE EXCEPTION 'refused at commit by the test' USING ERRCODE = 'P0002';
            ELSIF NEW.notes = '{CutAtCommit}' THEN
                PERFORM pg_terminate_backend(pg_backend_pid());
            END IF;
            RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER test_commit_faults AFTER INSERT ON orders
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_commit_faults();
        """;

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}

public sealed class OrderHardeningTests(OrderHardeningFixture fixture) : IClassFixture<OrderHardeningFixture>
{
    private const decimal HugePrice = 999_999_999_999m;

    private readonly ApiClient _anonymous = fixture.Anonymous();

    private static async Task<string> CreateProductAsync(Tenant tenant, string name, decimal price, int stock)
    {
        var created = await tenant.Admin.PostAsync("/productos", new { nombre = name, precio = price, stock });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Json["id"]!.GetValue<string>();
    }

    private static object Sale(string productId, int quantity, string? notes = null) =>
        new { items = new[] { new { producto_id = productId, cantidad = quantity } }, notas = notes };

    private static async Task<int> StockAsync(Tenant tenant, string productId) =>
        (await tenant.Admin.GetAsync($"/productos/{productId}")).Json["stock"]!.GetValue<int>();

    private Task<int> StockInDatabaseAsync(string productId) =>
        fixture.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", Guid.Parse(productId));

    private static async Task<Answer> PostWithKeyAsync(ApiClient client, string path, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await client.Http.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers,
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Thirty_concurrent_orders_with_one_whose_total_overflows_sell_29_and_refuse_only_that_one()
    {
        var tenant = await _anonymous.RegisterAsync();
        var cheap = await CreateProductAsync(tenant, "Tornillo", 1000m, 100);
        var dear = await CreateProductAsync(tenant, "Yate de lujo", HugePrice, 10);

        var orders = Enumerable.Range(0, 29).Select(_ => tenant.Admin.PostAsync("/ventas", Sale(cheap, 1))).ToList();
        orders.Add(tenant.Admin.PostAsync("/ventas", Sale(dear, 2)));
        var answers = await Task.WhenAll(orders);

        Assert.Equal(29, answers.Count(a => a.Status == HttpStatusCode.Created));
        var poison = answers[^1];
        poison.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("total", Assert.Single(poison.ErrorsFor("items")), StringComparison.Ordinal);
        Assert.Equal(71, await StockAsync(tenant, cheap));
        Assert.Equal(71, await StockInDatabaseAsync(cheap));
        Assert.Equal(10, await StockInDatabaseAsync(dear));
        Assert.Equal(29, (await tenant.Admin.GetAsync("/ventas")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_order_whose_total_overflows_only_in_the_database_fails_alone()
    {
        var tenant = await _anonymous.RegisterAsync();
        var cheap = await CreateProductAsync(tenant, "Arandela", 500m, 100);
        var repriced = await CreateProductAsync(tenant, "Cuadro", 10m, 10);
        // Behind the grain's back: memory still says 10, so only PostgreSQL sees the overflow.
        await fixture.ExecuteAsync("UPDATE products SET price = $1 WHERE id = $2", HugePrice, Guid.Parse(repriced));

        var orders = Enumerable.Range(0, 29).Select(_ => tenant.Admin.PostAsync("/ventas", Sale(cheap, 1))).ToList();
        orders.Add(tenant.Admin.PostAsync("/ventas", Sale(repriced, 2)));
        var answers = await Task.WhenAll(orders);

        Assert.Equal(29, answers.Count(a => a.Status == HttpStatusCode.Created));
        answers[^1].AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(answers[^1].ErrorsFor("items"));
        Assert.Equal(71, await StockInDatabaseAsync(cheap));
        Assert.Equal(10, await StockInDatabaseAsync(repriced));
        Assert.Equal(29, (await tenant.Admin.GetAsync("/ventas")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Place_order_reports_one_orders_error_and_its_transaction_still_commits_the_others()
    {
        // Bypasses the grain: the SQL function alone keeps one order's error inside that order.
        var tenant = Guid.NewGuid();
        var product = Guid.NewGuid();
        await fixture.ExecuteAsync("INSERT INTO tenants (id, name) VALUES ($1, 'Directa')", tenant);
        await fixture.ExecuteAsync("INSERT INTO products (id, tenant_id, sku, name, price, stock) VALUES ($1, $2, 'X-1', 'Caro', $3, 10)",
            product, tenant, HugePrice);

        await using var connection = await fixture.Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var outcomes = new List<(string Outcome, string? Sku)>();
        foreach (var quantity in new[] { 2, 1 })
        {
            await using var command = new NpgsqlCommand(
                "SELECT outcome, sku FROM place_order($1, $2, NULL, 'api', NULL, NULL, now(), $3, $4, $5)", connection, transaction);
            foreach (var value in new object[] { tenant, Guid.NewGuid(), new[] { product }, new[] { quantity }, Guid.NewGuid() })
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            outcomes.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        await transaction.CommitAsync();

        Assert.Equal(("error", "22003"), outcomes[0]);
        Assert.Equal("ok", outcomes[1].Outcome);
        Assert.Equal(9, await fixture.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", product));
        Assert.Equal(1, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM orders WHERE tenant_id = $1", tenant));
    }

    [Fact]
    public async Task A_group_whose_commit_is_refused_is_written_again_order_by_order()
    {
        var tenant = await _anonymous.RegisterAsync();
        var product = await CreateProductAsync(tenant, "Clavo", 100m, 100);

        var orders = Enumerable.Range(0, 29).Select(_ => tenant.Admin.PostAsync("/ventas", Sale(product, 1))).ToList();
        orders.Add(tenant.Admin.PostAsync("/ventas", Sale(product, 1, OrderHardeningFixture.RefuseAtCommit)));
        var answers = await Task.WhenAll(orders);

        Assert.Equal(29, answers.Count(a => a.Status == HttpStatusCode.Created));
        answers[^1].AssertProblem(HttpStatusCode.InternalServerError);
        Assert.Equal(71, await StockAsync(tenant, product));
        Assert.Equal(71, await StockInDatabaseAsync(product));
    }

    [Fact]
    public async Task A_commit_lost_with_its_connection_answers_503_and_the_stock_is_read_again_from_the_database()
    {
        var tenant = await _anonymous.RegisterAsync();
        var product = await CreateProductAsync(tenant, "Martillo", 25000m, 50);
        // Someone else's write the grain has not seen: only a reload from PostgreSQL shows it.
        await fixture.ExecuteAsync("UPDATE products SET stock = 40 WHERE id = $1", Guid.Parse(product));
        Assert.Equal(50, await StockAsync(tenant, product));

        var lost = await tenant.Admin.PostAsync("/ventas", Sale(product, 1, OrderHardeningFixture.CutAtCommit));

        lost.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.StartsWith("No se sabe si la venta quedó registrada", lost.Detail, StringComparison.Ordinal);
        Assert.NotNull(lost.Headers.RetryAfter);
        Assert.Equal(40, await StockAsync(tenant, product));
        // The answer names the id the sale has if it was recorded; this fault rolled it back.
        var check = System.Text.RegularExpressions.Regex.Match(lost.Detail!, "GET (/ventas/[0-9a-f-]{36})");
        Assert.True(check.Success, lost.Detail);
        (await tenant.Admin.GetAsync(check.Groups[1].Value)).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(0, (await tenant.Admin.GetAsync("/ventas")).Json["total"]!.GetValue<int>());

        var next = await tenant.Admin.PostAsync("/ventas", Sale(product, 1));
        Assert.Equal(HttpStatusCode.Created, next.Status);
        Assert.Equal(39, await StockAsync(tenant, product));
        Assert.Equal(39, await StockInDatabaseAsync(product));
    }

    [Fact]
    public async Task Notes_that_postgres_cannot_store_are_refused_naming_the_field()
    {
        var tenant = await _anonymous.RegisterAsync();
        var product = await CreateProductAsync(tenant, "Brocha", 3000m, 5);

        var answer = await tenant.Admin.PostAsync("/ventas", Sale(product, 1, "entregar\u0000rápido"));

        answer.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(answer.ErrorsFor("notas"));
        Assert.Equal(5, await StockInDatabaseAsync(product));
    }

    [Fact]
    public async Task A_sale_sent_again_with_its_key_is_sold_once_and_answered_the_same()
    {
        var tenant = await _anonymous.RegisterAsync();
        var product = await CreateProductAsync(tenant, "Taladro", 200000m, 20);
        var key = Guid.NewGuid().ToString();

        var first = await PostWithKeyAsync(tenant.Admin, "/ventas", Sale(product, 2), key);
        var again = await PostWithKeyAsync(tenant.Admin, "/ventas", Sale(product, 2), key);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(first.Status, again.Status);
        Assert.Equal(first.Body, again.Body);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(18, await StockAsync(tenant, product));
        Assert.Equal(1, (await tenant.Admin.GetAsync("/ventas")).Json["total"]!.GetValue<int>());

        var other = await PostWithKeyAsync(tenant.Admin, "/ventas", Sale(product, 3), key);
        other.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(other.ErrorsFor("Idempotency-Key"));
        Assert.Equal(18, await StockAsync(tenant, product));

        var elsewhere = await _anonymous.RegisterAsync();
        var theirs = await CreateProductAsync(elsewhere, "Taladro", 200000m, 20);
        var theirSale = await PostWithKeyAsync(elsewhere.Admin, "/ventas", Sale(theirs, 2), key);
        Assert.Equal(HttpStatusCode.Created, theirSale.Status);
        Assert.NotEqual(first.Json["id"]!.GetValue<string>(), theirSale.Json["id"]!.GetValue<string>());
        Assert.Equal(18, await StockAsync(elsewhere, theirs));
        Assert.Equal(1, (await tenant.Admin.GetAsync("/ventas")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_openapi_document_names_the_idempotency_header_of_the_three_posts()
    {
        var document = (await _anonymous.GetAsync("/openapi/v1.json")).Json["paths"]!.AsObject();

        foreach (var route in new[] { "/ventas", "/productos", "/clientes" })
        {
            var post = document.Single(p => p.Key.TrimEnd('/') == route).Value!["post"]!;
            Assert.Contains(post["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Idempotency-Key" && p["in"]!.GetValue<string>() == "header");
        }
    }

    [Fact]
    public async Task The_same_sale_sent_concurrently_with_one_key_is_sold_once()
    {
        var tenant = await _anonymous.RegisterAsync();
        var product = await CreateProductAsync(tenant, "Sierra", 45000m, 30);
        var key = "pedido-" + Guid.NewGuid();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostWithKeyAsync(tenant.Admin, "/ventas", Sale(product, 1), key)));
        var later = await PostWithKeyAsync(tenant.Admin, "/ventas", Sale(product, 1), key);

        var created = answers.Where(a => a.Status == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => a.AssertProblem(HttpStatusCode.Conflict));
        Assert.All(created, a => Assert.Equal(created[0].Body, a.Body));
        Assert.Equal(HttpStatusCode.Created, later.Status);
        Assert.Equal(created[0].Body, later.Body);
        Assert.Equal(29, await StockAsync(tenant, product));
        Assert.Equal(1, (await tenant.Admin.GetAsync("/ventas")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Products_and_customers_created_again_with_their_key_are_created_once()
    {
        var tenant = await _anonymous.RegisterAsync();
        var elsewhere = await _anonymous.RegisterAsync();
        var key = "";
        var cases = new (string Path, object Body, object Other)[]
        {
            ("/productos", new { nombre = "Pala", precio = 15000, stock = 4 }, new { nombre = "Pico", precio = 18000, stock = 4 }),
            ("/clientes", new { nombre = "Marta Gómez", telefono = "+573005550101" }, new { nombre = "Marta Gómez", telefono = "+573005550102" }),
        };

        foreach (var (path, body, other) in cases)
        {
            key = Guid.NewGuid().ToString();
            var first = await PostWithKeyAsync(tenant.Admin, path, body, key);
            var again = await PostWithKeyAsync(tenant.Admin, path, body, key);
            Assert.Equal(HttpStatusCode.Created, first.Status);
            Assert.Equal(HttpStatusCode.Created, again.Status);
            Assert.Equal(first.Body, again.Body);
            Assert.Equal(1, (await tenant.Admin.GetAsync(path)).Json["total"]!.GetValue<int>());

            (await PostWithKeyAsync(tenant.Admin, path, other, key)).AssertProblem(HttpStatusCode.UnprocessableEntity);
            Assert.Equal(1, (await tenant.Admin.GetAsync(path)).Json["total"]!.GetValue<int>());

            var theirs = await PostWithKeyAsync(elsewhere.Admin, path, body, key);
            Assert.Equal(HttpStatusCode.Created, theirs.Status);
            Assert.NotEqual(first.Json["id"]!.GetValue<string>(), theirs.Json["id"]!.GetValue<string>());
            Assert.Equal(1, (await elsewhere.Admin.GetAsync(path)).Json["total"]!.GetValue<int>());
        }

        // A key names one request: the same key on another route is another request.
        (await PostWithKeyAsync(tenant.Admin, cases[0].Path, cases[0].Body, key)).AssertProblem(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Answers_that_depend_on_the_moment_are_not_kept_and_keys_expire_after_a_day()
    {
        var tenant = await _anonymous.RegisterAsync();
        var product = await CreateProductAsync(tenant, "Escalera", 90000m, 1);
        var key = Guid.NewGuid().ToString();

        (await PostWithKeyAsync(tenant.Admin, "/ventas", Sale(product, 2), key)).AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PutAsync($"/productos/{product}", new { nombre = "Escalera", precio = 90000, stock = 5 })).Status);
        Assert.Equal(HttpStatusCode.Created, (await PostWithKeyAsync(tenant.Admin, "/ventas", Sale(product, 2), key)).Status);

        // A day later the key is free again, even for another request.
        await fixture.ExecuteAsync("UPDATE idempotency_keys SET created_at = created_at - interval '25 hours' WHERE tenant_id = $1 AND key = $2",
            tenant.EmpresaId, key);
        Assert.Equal(HttpStatusCode.Created, (await PostWithKeyAsync(tenant.Admin, "/ventas", Sale(product, 1), key)).Status);
        Assert.Equal(2, await StockAsync(tenant, product));

        (await PostWithKeyAsync(tenant.Admin, "/ventas", Sale(product, 1), new string('k', 201))).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(2, await StockAsync(tenant, product));
    }
}
