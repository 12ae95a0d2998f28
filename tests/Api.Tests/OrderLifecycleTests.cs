using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// The order lifecycle as staff and the shop's customers see it: PATCH /ventas/{id}/estado moves a sale through
/// pendiente → confirmada → preparando → enviada → entregada (or anulada, which gives the stock back), each step
/// is in the sale's historial, and every step the lifecycle does not have is a 409 that changes nothing.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OrderLifecycleTests(ApiFixture fixture)
{
    private static readonly string[] Estados = ["pendiente", "confirmada", "preparando", "enviada", "entregada", "anulada"];

    // The way forward from a confirmed sale to each estado.
    private static readonly Dictionary<string, string[]> PathFromConfirmed = new()
    {
        ["confirmada"] = [],
        ["preparando"] = ["preparando"],
        ["enviada"] = ["preparando", "enviada"],
        ["entregada"] = ["preparando", "enviada", "entregada"],
        ["anulada"] = ["anulada"],
    };

    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["pendiente"] = ["confirmada", "anulada"],
        ["confirmada"] = ["preparando", "enviada", "anulada"],
        ["preparando"] = ["enviada", "anulada"],
        ["enviada"] = ["entregada", "anulada"],
        ["entregada"] = [],
        ["anulada"] = [],
    };

    private readonly ApiClient _anonymous = fixture.Anonymous();

    private async Task<(Tenant Tenant, Dictionary<string, string> Ids)> FerreteriaAsync()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var products = await tenant.Admin.GetAsync("/productos?tamano=100");
        return (tenant, products.Json["items"]!.AsArray().ToDictionary(p => p!["sku"]!.GetValue<string>(), p => p!["id"]!.GetValue<string>()));
    }

    private static async Task<string> SellAsync(ApiClient client, string productId, int quantity)
    {
        var sale = await client.PostAsync("/ventas", new { items = new[] { new { producto_id = productId, cantidad = quantity } } });
        Assert.True(sale.Status == HttpStatusCode.Created, sale.Body);
        return sale.Json["id"]!.GetValue<string>();
    }

    /// <summary>A customer orders 2 hammers through the agent (/chat, offline), gives name, phone and address and confirms; the sale's id.</summary>
    private static async Task<string> ChatOrderAsync(ApiClient client) => (await ChatOrderWithReplyAsync(client)).SaleId;

    private static async Task<(string SaleId, string Reply)> ChatOrderWithReplyAsync(ApiClient client)
    {
        var answers = new Dictionary<string, string>
        {
            ["nombre"] = "Carlos Gómez", ["telefono"] = "300 555 1234", ["direccion"] = "Calle 10 # 5-20, Bogotá", ["confirmacion"] = "sí",
        };
        string? conversation = null;
        var opening = new Queue<string>(["quiero 2 martillos", "confirmo el pedido"]);
        string? next = opening.Dequeue();
        for (var turn = 0; next is not null && turn < 8; turn++)
        {
            var reply = await client.PostAsync("/chat", conversation is null ? new { mensaje = next, llm = "offline" } : new { mensaje = next, llm = "offline", conversacion_id = conversation });
            Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
            conversation = reply.Json["conversacion_id"]!.GetValue<string>();
            if (reply.Json["orden_id"]?.GetValue<string>() is { } order)
            {
                return (order, reply.Json["respuesta"]!.GetValue<string>());
            }

            next = reply.Json["esperando"]?.GetValue<string>() is { } awaiting ? answers[awaiting] : opening.TryDequeue(out var more) ? more : null;
        }

        throw new Xunit.Sdk.XunitException("The agent placed no order.");
    }

    private static async Task<Answer> MoveAsync(ApiClient client, string saleId, string estado, string? nota = null) =>
        await client.PatchAsync($"/ventas/{saleId}/estado", nota is null ? new { estado } : new { estado, nota });

    private static List<(string? De, string A)> Steps(JsonNode sale) =>
        sale["historial"]!.AsArray().Select(h => (h!["de"]?.GetValue<string>(), h["a"]!.GetValue<string>())).ToList();

    private static async Task<int> StockAsync(ApiClient client, string productId) =>
        (await client.GetAsync($"/productos/{productId}")).Json["stock"]!.GetValue<int>();

    [Fact]
    public async Task A_chat_order_goes_through_every_estado_and_its_historial_tells_each_step_in_order()
    {
        var (tenant, ids) = await FerreteriaAsync();
        var (seller, sellerId, _) = await _anonymous.AddUserAsync(tenant, "vendedor");
        var setting = await tenant.Admin.PutAsync("/empresa", new { pedidos_chat_pendientes = true });
        Assert.True(setting.Json["pedidos_chat_pendientes"]!.GetValue<bool>());
        Assert.True((await seller.GetAsync("/empresa")).Json["pedidos_chat_pendientes"]!.GetValue<bool>());
        (await tenant.Admin.SendRawAsync(HttpMethod.Put, "/empresa", "{\"pedidos_chat_pendientes\": \"si\"}", "application/json")).AssertProblem(HttpStatusCode.BadRequest);
        (await seller.PutAsync("/empresa", new { pedidos_chat_pendientes = false })).AssertProblem(HttpStatusCode.Forbidden);
        Assert.True((await tenant.Admin.PutAsync("/empresa", new { nombre_agente = "Rosa" })).Json["pedidos_chat_pendientes"]!.GetValue<bool>());

        var (saleId, reply) = await ChatOrderWithReplyAsync(tenant.Admin);
        Assert.Contains("¡Pedido recibido!", reply, StringComparison.Ordinal);
        Assert.Contains("el equipo lo revisa, lo confirma", reply, StringComparison.Ordinal);
        var pending = await seller.GetAsync($"/ventas/{saleId}");
        Assert.Equal("pendiente", pending.Json["estado"]!.GetValue<string>());
        Assert.Equal(new[] { "confirmada", "anulada" }, pending.Json["estados_siguientes"]!.AsArray().Select(e => e!.GetValue<string>()));
        // A pending order already holds its units, so it cannot be oversold while staff look at it.
        Assert.Equal(38, await StockAsync(seller, ids["FER-005"]));
        // A sale staff register themselves is confirmed whatever the setting says.
        var staffSale = await SellAsync(seller, ids["FER-014"], 1);
        Assert.Equal("confirmada", (await seller.GetAsync($"/ventas/{staffSale}")).Json["estado"]!.GetValue<string>());

        var confirmed = await MoveAsync(seller, saleId, "confirmada", "Pago recibido por transferencia");
        Assert.True(confirmed.Status == HttpStatusCode.OK, confirmed.Body);
        Assert.Equal("confirmada", confirmed.Json["estado"]!.GetValue<string>());
        foreach (var estado in new[] { "preparando", "enviada", "entregada" })
        {
            var moved = await MoveAsync(seller, saleId, estado);
            Assert.True(moved.Status == HttpStatusCode.OK, moved.Body);
            Assert.Equal(estado, moved.Json["estado"]!.GetValue<string>());
        }

        var sale = (await tenant.Admin.GetAsync($"/ventas/{saleId}")).Json;
        Assert.Equal("entregada", sale["estado"]!.GetValue<string>());
        Assert.Empty(sale["estados_siguientes"]!.AsArray());
        Assert.Equal(
            new (string?, string)[] { (null, "pendiente"), ("pendiente", "confirmada"), ("confirmada", "preparando"), ("preparando", "enviada"), ("enviada", "entregada") },
            Steps(sale));
        var historial = sale["historial"]!.AsArray();
        // The placement is the agent's turn on /chat, made by its caller; every later step is the seller's.
        Assert.Equal(tenant.AdminId.ToString(), historial[0]!["usuario_id"]!.GetValue<string>());
        Assert.All(historial.Skip(1), h => Assert.Equal(sellerId.ToString(), h!["usuario_id"]!.GetValue<string>()));
        Assert.Equal("Pago recibido por transferencia", historial[1]!["nota"]!.GetValue<string>());
        var times = historial.Select(h => DateTimeOffset.Parse(h!["en"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(38, await StockAsync(seller, ids["FER-005"]));

        // The list carries the same historial, and the estado filter knows every estado.
        var delivered = await seller.GetAsync("/ventas?estado=entregada");
        Assert.Equal(saleId, Assert.Single(delivered.Json["items"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(5, delivered.Json["items"]![0]!["historial"]!.AsArray().Count);
        Assert.Equal(0, (await seller.GetAsync("/ventas?estado=pendiente")).Json["total"]!.GetValue<int>());
        Assert.Equal(1, (await seller.GetAsync("/ventas?estado=confirmada")).Json["total"]!.GetValue<int>());

        // Each step is audited as venta/estado by who made it, with from and to.
        var audit = await tenant.Admin.GetAsync($"/auditoria?entidad=venta&accion=estado&usuario_id={sellerId}");
        var details = audit.Json["items"]!.AsArray().Select(a => a!["detalle"]!).ToList();
        Assert.Equal(4, details.Count);
        Assert.Contains(details, d => d["de"]!.GetValue<string>() == "pendiente" && d["a"]!.GetValue<string>() == "confirmada"
            && d["nota"]!.GetValue<string>() == "Pago recibido por transferencia");

        // With the setting off again, the agent's next order is confirmed at once.
        await tenant.Admin.PutAsync("/empresa", new { pedidos_chat_pendientes = false });
        var (next, confirmedReply) = await ChatOrderWithReplyAsync(tenant.Admin);
        Assert.Contains("¡Pedido confirmado!", confirmedReply, StringComparison.Ordinal);
        Assert.Equal("confirmada", (await seller.GetAsync($"/ventas/{next}")).Json["estado"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_step_the_lifecycle_does_not_have_is_409_naming_both_estados_and_changes_nothing()
    {
        var (tenant, ids) = await FerreteriaAsync();
        await tenant.Admin.PutAsync("/empresa", new { pedidos_chat_pendientes = true });
        var sales = new Dictionary<string, string> { ["pendiente"] = await ChatOrderAsync(tenant.Admin) };
        foreach (var (estado, path) in PathFromConfirmed)
        {
            sales[estado] = await SellAsync(tenant.Admin, ids["FER-011"], 1);
            foreach (var step in path)
            {
                Assert.Equal(HttpStatusCode.OK, (await MoveAsync(tenant.Admin, sales[estado], step)).Status);
            }
        }

        var stockBefore = (await StockAsync(tenant.Admin, ids["FER-011"]), await StockAsync(tenant.Admin, ids["FER-005"]));
        var wrong = new List<string>();
        foreach (var from in Estados)
        {
            var before = (await tenant.Admin.GetAsync($"/ventas/{sales[from]}")).Body;
            foreach (var to in Estados.Where(to => to != from && !Allowed[from].Contains(to)))
            {
                var refused = await MoveAsync(tenant.Admin, sales[from], to, "no debería quedar");
                if (refused.Status != HttpStatusCode.Conflict || refused.MediaType != "application/problem+json")
                {
                    wrong.Add($"{from} → {to}: {(int)refused.Status} {refused.Body}");
                    continue;
                }

                var detail = refused.Detail ?? "";
                if (!detail.Contains($"Una venta {from} no puede pasar a {to}", StringComparison.Ordinal)) { wrong.Add($"{from} → {to}: '{detail}'"); }
            }

            if ((await tenant.Admin.GetAsync($"/ventas/{sales[from]}")).Body != before) { wrong.Add($"{from}: the sale changed"); }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        Assert.Equal(stockBefore, (await StockAsync(tenant.Admin, ids["FER-011"]), await StockAsync(tenant.Admin, ids["FER-005"])));
        var final = await MoveAsync(tenant.Admin, sales["entregada"], "anulada");
        Assert.Contains("entregada es un estado final", final.Detail, StringComparison.Ordinal);
        Assert.NotEmpty(final.ErrorsFor("estado"));
        var fromConfirmed = await MoveAsync(tenant.Admin, sales["confirmada"], "entregada");
        Assert.Contains("Desde confirmada puede pasar a: preparando, enviada, anulada", fromConfirmed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Annulling_from_preparando_or_enviada_returns_the_stock_and_only_an_admin_may()
    {
        var (tenant, ids) = await FerreteriaAsync();
        var (seller, _, _) = await _anonymous.AddUserAsync(tenant, "vendedor");
        var preparing = await SellAsync(seller, ids["FER-015"], 10);
        var shipped = await SellAsync(seller, ids["FER-015"], 5);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(seller, preparing, "preparando")).Status);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(seller, shipped, "enviada")).Status);
        Assert.Equal(85, await StockAsync(seller, ids["FER-015"]));

        var refused = await MoveAsync(seller, preparing, "anulada");
        refused.AssertProblem(HttpStatusCode.Forbidden);
        Assert.Contains("administrador", refused.Detail, StringComparison.Ordinal);
        Assert.Equal("preparando", (await seller.GetAsync($"/ventas/{preparing}")).Json["estado"]!.GetValue<string>());

        var annulled = await MoveAsync(tenant.Admin, preparing, "anulada", "El cliente se arrepintió");
        Assert.True(annulled.Status == HttpStatusCode.OK, annulled.Body);
        Assert.Equal("anulada", annulled.Json["estado"]!.GetValue<string>());
        Assert.NotNull(annulled.Json["anulada_en"]);
        Assert.Equal(("preparando", "anulada"), Steps(annulled.Json)[^1]);
        Assert.Equal(95, await StockAsync(seller, ids["FER-015"]));

        // The old route is the same step: from enviada it gives the stock back too, and a second time is 409.
        var viaRoute = await tenant.Admin.PostAsync($"/ventas/{shipped}/anular", null);
        Assert.True(viaRoute.Status == HttpStatusCode.OK, viaRoute.Body);
        Assert.Equal(("enviada", "anulada"), Steps(viaRoute.Json)[^1]);
        Assert.Equal(100, await StockAsync(seller, ids["FER-015"]));
        (await tenant.Admin.PostAsync($"/ventas/{shipped}/anular", null)).AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(100, await StockAsync(seller, ids["FER-015"]));

        var audit = await tenant.Admin.GetAsync($"/auditoria?entidad=venta&usuario_id={tenant.AdminId}");
        var actions = audit.Json["items"]!.AsArray().Select(a => (a!["accion"]!.GetValue<string>(), a["entidad_id"]!.GetValue<string>())).ToList();
        Assert.Contains(("estado", preparing), actions);
        Assert.Contains(("anular", shipped), actions);
    }

    [Fact]
    public async Task A_repeated_patch_answers_200_with_nothing_new_and_bad_requests_change_nothing()
    {
        var (tenant, ids) = await FerreteriaAsync();
        var (observer, _, _) = await _anonymous.AddUserAsync(tenant, "observador");
        var other = await _anonymous.RegisterAsync("Otra Ferretería");
        var saleId = await SellAsync(tenant.Admin, ids["FER-001"], 1);

        var first = await MoveAsync(tenant.Admin, saleId, "preparando", "Empacando");
        var again = await MoveAsync(tenant.Admin, saleId, "preparando", "Otra nota");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Body, again.Body);
        Assert.Equal(2, Steps(again.Json).Count);
        var audited = await tenant.Admin.GetAsync($"/auditoria?entidad=venta&accion=estado");
        Assert.Equal(1, audited.Json["total"]!.GetValue<int>());

        var before = (await tenant.Admin.GetAsync($"/ventas/{saleId}")).Body;
        (await MoveAsync(other.Admin, saleId, "enviada")).AssertProblem(HttpStatusCode.NotFound);
        (await MoveAsync(tenant.Admin, Guid.NewGuid().ToString(), "enviada")).AssertProblem(HttpStatusCode.NotFound);
        (await MoveAsync(observer, saleId, "enviada")).AssertProblem(HttpStatusCode.Forbidden);
        var unknown = await MoveAsync(tenant.Admin, saleId, "perdida");
        unknown.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(unknown.ErrorsFor("estado"));
        var missing = await tenant.Admin.PatchAsync($"/ventas/{saleId}/estado", new { nota = "sin estado" });
        missing.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(missing.ErrorsFor("estado"));
        var longNote = await MoveAsync(tenant.Admin, saleId, "enviada", new string('n', 501));
        longNote.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(longNote.ErrorsFor("nota"));
        var nul = await MoveAsync(tenant.Admin, saleId, "enviada", "nota\u0000rota");
        nul.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(nul.ErrorsFor("nota"));
        (await tenant.Admin.SendRawAsync(HttpMethod.Patch, $"/ventas/{saleId}/estado", "{\"estado\": 5}", "application/json")).AssertProblem(HttpStatusCode.BadRequest);
        (await tenant.Admin.SendRawAsync(HttpMethod.Patch, $"/ventas/{saleId}/estado", "estado=enviada", "text/plain")).AssertProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, (await tenant.Admin.GetAsync($"/ventas/{saleId}")).Body);
        Assert.Equal(1, (await tenant.Admin.GetAsync($"/auditoria?entidad=venta&accion=estado")).Json["total"]!.GetValue<int>());

        // A note at its limit is kept whole.
        var atLimit = await MoveAsync(tenant.Admin, saleId, "enviada", new string('n', 500));
        Assert.Equal(HttpStatusCode.OK, atLimit.Status);
        Assert.Equal(new string('n', 500), atLimit.Json["historial"]!.AsArray()[^1]!["nota"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_patches_at_once_on_one_sale_one_wins_and_the_historial_has_no_duplicate()
    {
        var (tenant, ids) = await FerreteriaAsync();
        var (seller, _, _) = await _anonymous.AddUserAsync(tenant, "vendedor");
        for (var round = 0; round < 5; round++)
        {
            // Two steps that exclude each other: whichever comes second finds a final estado.
            var saleId = await SellAsync(tenant.Admin, ids["FER-009"], 2);
            Assert.Equal(HttpStatusCode.OK, (await MoveAsync(tenant.Admin, saleId, "enviada")).Status);
            var stock = await StockAsync(tenant.Admin, ids["FER-009"]);
            var answers = await Task.WhenAll(MoveAsync(seller, saleId, "entregada"), MoveAsync(tenant.Admin, saleId, "anulada"));

            var winner = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            Assert.Single(answers, a => a.Status == HttpStatusCode.Conflict);
            var sale = (await tenant.Admin.GetAsync($"/ventas/{saleId}")).Json;
            var won = winner.Json["estado"]!.GetValue<string>();
            Assert.Equal(won, sale["estado"]!.GetValue<string>());
            Assert.Equal(new (string?, string)[] { (null, "confirmada"), ("confirmada", "enviada"), ("enviada", won) }, Steps(sale));
            Assert.Equal(won == "anulada" ? stock + 2 : stock, await StockAsync(tenant.Admin, ids["FER-009"]));
        }

        // The same step asked for many times at once is made once.
        var repeated = await SellAsync(tenant.Admin, ids["FER-009"], 1);
        var same = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => MoveAsync(i % 2 == 0 ? seller : tenant.Admin, repeated, "preparando")));
        Assert.All(same, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(new (string?, string)[] { (null, "confirmada"), ("confirmada", "preparando") }, Steps((await seller.GetAsync($"/ventas/{repeated}")).Json));
    }
}
