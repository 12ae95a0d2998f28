using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Api.Tests;

/// <summary>Behaviours docs/API.md promises that no other test exercised.</summary>
[Collection(ApiCollection.Name)]
public sealed class DocumentedBehaviourTests(ApiFixture fixture)
{
    private readonly ApiClient _anonymous = fixture.Anonymous();

    /// <summary>An HS256 token as the Api issues them, signed with the Api's own development key, valid until <paramref name="expires"/>.</summary>
    private string Token(Tenant tenant, DateTimeOffset expires)
    {
        var key = Convert.FromBase64String(File.ReadAllText(Path.Combine(fixture.Stack.DataDirectory, "jwt-signing.key")).Trim());
        static string Part(JsonObject json) => Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString()));
        static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var issued = expires.AddMinutes(-60).ToUnixTimeSeconds();
        var unsigned = Part(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" }) + "." + Part(new JsonObject
        {
            ["sub"] = tenant.AdminId.ToString(),
            ["empresa_id"] = tenant.EmpresaId.ToString(),
            ["role"] = "admin",
            ["iss"] = "agentevendedor",
            ["aud"] = "agentevendedor-api",
            ["iat"] = issued,
            ["nbf"] = issued,
            ["exp"] = expires.ToUnixTimeSeconds(),
        });
        return unsigned + "." + Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(unsigned)));
    }

    [Fact]
    public async Task An_expired_token_gets_401_and_the_same_token_before_expiry_works()
    {
        var tenant = await _anonymous.RegisterAsync();

        var fresh = await _anonymous.WithToken(Token(tenant, DateTimeOffset.UtcNow.AddMinutes(10))).GetAsync("/auth/yo");
        var expired = await _anonymous.WithToken(Token(tenant, DateTimeOffset.UtcNow.AddMinutes(-2))).GetAsync("/auth/yo");

        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        expired.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sales_are_filtered_by_state_customer_and_dates()
    {
        var tenant = await _anonymous.RegisterAsync();
        var admin = tenant.Admin;
        var product = (await admin.PostAsync("/productos", new { nombre = "Lija de agua", precio = 2500, stock = 100 })).Json["id"]!.GetValue<string>();
        var customer = (await admin.PostAsync("/clientes", new { nombre = "Marta", telefono = "+573109998877" })).Json["id"]!.GetValue<string>();
        object Sale(string? customerId) => new { cliente_id = customerId, items = new[] { new { producto_id = product, cantidad = 1 } } };
        var forCustomer = (await admin.PostAsync("/ventas", Sale(customer))).Json["id"]!.GetValue<string>();
        var anonymousSale = (await admin.PostAsync("/ventas", Sale(null))).Json["id"]!.GetValue<string>();
        var annulled = (await admin.PostAsync("/ventas", Sale(null))).Json["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/ventas/{annulled}/anular", null)).Status);
        async Task<List<string>> IdsAsync(string query) =>
            (await admin.GetAsync("/ventas?" + query)).Json["items"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList();

        Assert.Equal([annulled], await IdsAsync("estado=anulada"));
        Assert.Equal([anonymousSale, forCustomer], await IdsAsync("estado=confirmada"));
        Assert.Equal([forCustomer], await IdsAsync($"cliente_id={customer}"));
        Assert.Empty(await IdsAsync($"hasta={Uri.EscapeDataString(DateTime.UtcNow.AddHours(-1).ToString("O"))}"));
        Assert.Equal(3, (await IdsAsync($"desde={Uri.EscapeDataString(DateTime.UtcNow.AddHours(-1).ToString("O"))}")).Count);
        (await admin.GetAsync("/ventas?estado=pagada")).AssertProblem(HttpStatusCode.UnprocessableEntity);
        (await admin.GetAsync("/ventas?desde=ayer")).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_checks_q_and_k()
    {
        var tenant = await _anonymous.RegisterAsync();
        var admin = tenant.Admin;

        Assert.NotEmpty((await admin.GetAsync("/productos/buscar?q=martillo&k=50")).Body);
        Assert.NotEmpty((await admin.GetAsync("/productos/buscar?q=martillo&k=1")).Body);
        (await admin.GetAsync("/productos/buscar")).AssertProblem(HttpStatusCode.UnprocessableEntity);
        (await admin.GetAsync("/productos/buscar?q=")).AssertProblem(HttpStatusCode.UnprocessableEntity);
        (await admin.GetAsync("/productos/buscar?q=" + new string('a', 201))).AssertProblem(HttpStatusCode.UnprocessableEntity);
        (await admin.GetAsync("/productos/buscar?q=martillo&k=0")).AssertProblem(HttpStatusCode.UnprocessableEntity);
        (await admin.GetAsync("/productos/buscar?q=martillo&k=51")).AssertProblem(HttpStatusCode.UnprocessableEntity);
        (await admin.GetAsync("/productos/buscar?q=martillo&k=cinco")).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_tab_separated_file_imports_and_a_file_with_many_bad_rows_reports_the_first_100_and_the_total()
    {
        var tenant = await _anonymous.RegisterAsync();
        var tabs = "sku\tnombre\tdescripcion\tprecio\tstock\tcategoria\r\nTAB-1\tCinta métrica 5 m\tCinta de acero\t18900\t7\tMedición\r\n";
        var imported = await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(tabs), "actualizar");
        Assert.Equal(HttpStatusCode.OK, imported.Status);
        Assert.Equal(1, imported.Json["creados"]!.GetValue<int>());
        var product = (await tenant.Admin.GetAsync("/productos?buscar=TAB-1")).Json["items"]![0]!;
        Assert.Equal("Cinta métrica 5 m", product["nombre"]!.GetValue<string>());
        Assert.Equal(18900m, product["precio"]!.GetValue<decimal>());

        var bad = new StringBuilder("sku,nombre,descripcion,precio,stock\r\n");
        for (var i = 0; i < 150; i++)
        {
            bad.Append($"MAL-{i},Producto {i},,gratis,3\r\n");
        }

        var refused = await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(bad.ToString()), "actualizar");
        refused.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(100, refused.Json["errores"]!.AsArray().Count);
        Assert.Equal(150, refused.Json["total_errores"]!.GetValue<int>());
        Assert.Equal(2, refused.Json["errores"]![0]!["fila"]!.GetValue<int>());
        Assert.Equal(1, (await tenant.Admin.GetAsync("/productos")).Json["total"]!.GetValue<int>());
    }

    private static async Task<JsonNode> SayAsync(ApiClient client, string message, string? conversation, string? type = null)
    {
        var answer = await client.PostAsync("/chat", new { mensaje = message, conversacion_id = conversation, tipo = type });
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        return answer.Json;
    }

    [Fact]
    public async Task Chat_conversations_are_listed_with_their_id_and_tipo_inventario_leaves_the_cart_alone()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);

        var asked = await SayAsync(tenant.Admin, "quiero 2 martillos", null, type: "inventario");
        var conversation = asked["conversacion_id"]!.GetValue<string>();

        Assert.Equal("inventario", asked["tipo"]!.GetValue<string>());
        Assert.NotEmpty(asked["productos"]!.AsArray());
        Assert.Empty(asked["carrito"]!["items"]!.AsArray());
        var listed = (await tenant.Admin.GetAsync("/conversaciones?canal=api")).Json["items"]!.AsArray();
        var row = Assert.Single(listed, c => c!["id"]!.GetValue<string>() == conversation)!;
        Assert.Equal("api", row["canal"]!.GetValue<string>());
        Assert.Equal("agente", row["estado"]!.GetValue<string>());
        var detail = await tenant.Admin.GetAsync($"/conversaciones/{conversation}");
        Assert.Equal(["cliente", "agente"], detail.Json["mensajes"]!.AsArray().Select(m => m!["rol"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_agent_creates_a_customer_by_phone_once_and_reuses_it_for_the_next_order()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var answers = new Dictionary<string, string>
        {
            ["nombre"] = "Rosa Díaz",
            ["telefono"] = "310 444 5566",
            ["direccion"] = "Carrera 7 # 12-30, Bogotá",
            ["confirmacion"] = "sí",
        };
        async Task<string> BuyAsync()
        {
            var reply = await SayAsync(tenant.Admin, "¿tienen martillo?", null);
            var conversation = reply["conversacion_id"]!.GetValue<string>();
            reply = await SayAsync(tenant.Admin, "quiero 1", conversation);
            reply = await SayAsync(tenant.Admin, "confirmo", conversation);
            for (var i = 0; i < 6 && reply["esperando"]?.GetValue<string>() is { } awaiting; i++)
            {
                reply = await SayAsync(tenant.Admin, answers[awaiting], conversation);
            }

            return reply["orden_id"]?.GetValue<string>() ?? throw new InvalidOperationException("no order: " + reply.ToJsonString());
        }

        var first = await BuyAsync();
        var second = await BuyAsync();

        var customers = (await tenant.Admin.GetAsync("/clientes?buscar=3104445566")).Json["items"]!.AsArray();
        var customer = Assert.Single(customers)!;
        Assert.Equal("+573104445566", customer["telefono"]!.GetValue<string>());
        Assert.Equal("Rosa Díaz", customer["nombre"]!.GetValue<string>());
        var id = customer["id"]!.GetValue<string>();
        Assert.Equal(id, (await tenant.Admin.GetAsync($"/ventas/{first}")).Json["cliente_id"]!.GetValue<string>());
        Assert.Equal(id, (await tenant.Admin.GetAsync($"/ventas/{second}")).Json["cliente_id"]!.GetValue<string>());
    }
}
