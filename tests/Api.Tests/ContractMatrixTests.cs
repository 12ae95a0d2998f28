using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// The route table of docs/API.md ("Access and audit by route") against the running product: every
/// route of the OpenAPI document is in the table and back, each role gets what the table says, an id of
/// another empresa is 404, and every audited route writes its audit row naming who did it.
/// </summary>
public sealed partial class ContractMatrixTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private FakeMessaging _platforms = null!;
    private ApiClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _platforms = await FakeMessaging.StartAsync();
        _platforms.RegisterWhatsApp("109876543210", "EAAG-token-de-acceso");
        _platforms.RegisterTelegram("123456:ABC-token");
        _platforms.RegisterTelegram("654321:XYZ-token");
        _platforms.RegisterCatalog(CatalogId, "EAAG-token-de-acceso");
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, settings: new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = _platforms.BaseUrl.ToString(),
            ["Telegram__ApiUrl"] = _platforms.BaseUrl.ToString(),
        });
        _anonymous = new ApiClient(_stack.CreateClient());
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    private const string CatalogId = "123456789012345";

    public sealed record RouteRule(string Method, string Path, string Access, string? Audit)
    {
        public string Key => $"{Method} {Path}";
    }

    [GeneratedRegex(@"^\|\s*`(?<method>GET|POST|PUT|PATCH|DELETE) (?<path>/[^`]*)`\s*\|\s*(?<access>[^|]+?)\s*\|\s*(?<audit>[^|]+?)\s*\|$")]
    private static partial Regex TableRow();

    internal static List<RouteRule> Table()
    {
        var text = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "API.md"));
        var start = Array.FindIndex(text, l => l.StartsWith("## Access and audit by route", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/API.md has no 'Access and audit by route' section");
        var rules = text.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => TableRow().Match(l)).Where(m => m.Success)
            .Select(m => new RouteRule(m.Groups["method"].Value, m.Groups["path"].Value, m.Groups["access"].Value,
                m.Groups["audit"].Value.StartsWith('`') ? m.Groups["audit"].Value.Trim('`') : null))
            .ToList();
        Assert.All(rules, r => Assert.Contains(r.Access, new[] { "público", "lectura", "edición", "admin" }));
        return rules;
    }

    private async Task<List<string>> OpenApiRoutesAsync()
    {
        var document = (await _anonymous.GetAsync("/openapi/v1.json")).Json;
        return document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .ToList();
    }

    [Fact]
    public async Task Every_route_of_the_openapi_document_is_in_the_route_table_and_back()
    {
        var documented = Table().Select(r => r.Key).ToList();
        var served = await OpenApiRoutesAsync();

        Assert.Empty(served.Except(documented));
        Assert.Empty(documented.Except(served));
        Assert.Equal(documented.Count, documented.Distinct().Count());
    }

    /// <summary>An empresa with one user of each role and one of everything a route can name by id, and a second empresa.</summary>
    private sealed record World(Tenant Tenant, ApiClient Seller, Guid SellerId, ApiClient Observer, Tenant Other, Dictionary<string, string> Ids);

    private async Task<World> WorldAsync()
    {
        var tenant = await _anonymous.RegisterAsync();
        var (seller, sellerId, _) = await _anonymous.AddUserAsync(tenant, "vendedor");
        var (observer, _, _) = await _anonymous.AddUserAsync(tenant, "observador");
        var other = await _anonymous.RegisterAsync("Otra Ferretería");
        var admin = tenant.Admin;
        var product = await admin.PostAsync("/productos", new { nombre = "Martillo de uña", precio = 25000, stock = 50 });
        var customer = await admin.PostAsync("/clientes", new { nombre = "Carla Ruiz", telefono = "+573001234567" });
        var productId = product.Json["id"]!.GetValue<string>();
        var sale = await admin.PostAsync("/ventas", new { items = new[] { new { producto_id = productId, cantidad = 1 } } });
        var chat = await admin.PostAsync("/chat", new { mensaje = "hola" });
        var telegram = await admin.PutAsync("/canales/telegram", new { bot_token = "123456:ABC-token", secret_token = "secreto-telegram" });
        Assert.All(new[] { product, customer, sale }, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.Equal(HttpStatusCode.OK, chat.Status);
        Assert.Equal(HttpStatusCode.OK, telegram.Status);
        var ids = new Dictionary<string, string>
        {
            ["/productos/"] = productId,
            ["/clientes/"] = customer.Json["id"]!.GetValue<string>(),
            ["/ventas/"] = sale.Json["id"]!.GetValue<string>(),
            ["/usuarios/"] = sellerId.ToString(),
            ["/conversaciones/"] = chat.Json["conversacion_id"]!.GetValue<string>(),
            ["/webhooks/telegram/"] = telegram.Json["webhook_url"]!.GetValue<string>().Split('/')[^1],
        };
        return new World(tenant, seller, sellerId, observer, other, ids);
    }

    private static string Fill(string path, Dictionary<string, string> ids) =>
        path.Contains('{', StringComparison.Ordinal)
            ? ids.First(i => path.StartsWith(i.Key, StringComparison.Ordinal)) is var (prefix, id)
                ? Regex.Replace(path, "{[^}]+}", id)
                : path
            : path;

    private static Task<Answer> CallAsync(ApiClient client, RouteRule rule, string path) =>
        rule.Method is "GET" or "DELETE"
            ? client.SendRawAsync(new HttpMethod(rule.Method), path, "", "application/json")
            : client.SendRawAsync(new HttpMethod(rule.Method), path, "{}", "application/json");

    [Fact]
    public async Task Each_role_gets_what_the_route_table_says_and_another_empresas_ids_answer_404()
    {
        var world = await WorldAsync();
        var roles = new (string Role, ApiClient Client)[] { ("observador", world.Observer), ("vendedor", world.Seller), ("admin", world.Tenant.Admin) };
        var wrong = new List<string>();
        foreach (var rule in Table())
        {
            var path = Fill(rule.Path, world.Ids);
            var anonymous = await CallAsync(_anonymous, rule, path);
            if (rule.Access == "público")
            {
                if ((int)anonymous.Status >= 500) { wrong.Add($"{rule.Key} sin token: {(int)anonymous.Status}"); }
                continue;
            }

            if (anonymous.Status != HttpStatusCode.Unauthorized) { wrong.Add($"{rule.Key} sin token: {(int)anonymous.Status}"); }
            foreach (var (role, client) in roles)
            {
                var allowed = rule.Access switch
                {
                    "lectura" => true,
                    "edición" => role != "observador",
                    _ => role == "admin",
                };
                var status = (await CallAsync(client, rule, path)).Status;
                var ok = allowed
                    ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500
                    : status == HttpStatusCode.Forbidden;
                if (!ok) { wrong.Add($"{rule.Key} como {role}: {(int)status}"); }
            }

            // Another empresa's id is indistinguishable from an id that does not exist — and changes nothing.
            if (rule.Path.Contains('{', StringComparison.Ordinal))
            {
                var foreign = (await CallAsync(world.Other.Admin, rule, path)).Status;
                var unknown = (await CallAsync(world.Other.Admin, rule, Regex.Replace(rule.Path, "{[^}]+}", Guid.NewGuid().ToString()))).Status;
                if (foreign != unknown || (int)foreign < 400 || (int)foreign >= 500)
                {
                    wrong.Add($"{rule.Key} con un id de otra empresa: {(int)foreign} (un id inexistente: {(int)unknown})");
                }
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task Every_audited_route_writes_its_audit_row_naming_who_made_the_change()
    {
        var world = await WorldAsync();
        var samples = Samples(world);
        var audited = Table().Where(r => r.Audit is not null).ToList();
        Assert.Empty(audited.Select(r => r.Key).Except(samples.Keys));
        var missing = new List<string>();
        foreach (var rule in audited)
        {
            var (answer, reader, actor, entityId) = await samples[rule.Key]();
            if ((int)answer.Status is < 200 or >= 300)
            {
                missing.Add($"{rule.Key}: the sample call answered {(int)answer.Status} {answer.Body}");
                continue;
            }

            var (entity, action) = (rule.Audit!.Split('/')[0], rule.Audit.Split('/')[1]);
            var log = await reader.GetAsync($"/auditoria?entidad={entity}&accion={action}&usuario_id={actor}&tamano=500");
            var rows = log.Json["items"]!.AsArray();
            if (!rows.Any(r => entityId is null || r!["entidad_id"]?.GetValue<string>() == entityId))
            {
                missing.Add($"{rule.Key}: no {rule.Audit} row by {actor} for {entityId ?? "(any)"}");
            }
        }

        Assert.Empty(missing);
    }

    private delegate Task<(Answer Answer, ApiClient AuditReader, Guid Actor, string? EntityId)> Sample();

    private Dictionary<string, Sample> Samples(World w)
    {
        var admin = w.Tenant.Admin;
        var adminId = w.Tenant.AdminId;
        async Task<(Answer, ApiClient, Guid, string?)> By(ApiClient client, Guid actor, Task<Answer> call, Func<Answer, string?>? id = null)
        {
            var answer = await call;
            return (answer, admin, actor, (int)answer.Status < 300 ? id?.Invoke(answer) : null);
        }

        string? IdOf(Answer a) => a.Json["id"]?.GetValue<string>();
        var newProduct = async () => (await admin.PostAsync("/productos", new { nombre = $"Brocha {Guid.NewGuid():N}", precio = 5000, stock = 10 })).Json["id"]!.GetValue<string>();
        var conversation = w.Ids["/conversaciones/"];
        return new Dictionary<string, Sample>
        {
            ["POST /auth/registro"] = async () =>
            {
                var email = $"nueva.{Guid.NewGuid():N}@ejemplo.co";
                var answer = await _anonymous.PostAsync("/auth/registro", new { empresa = new { nombre = "Nueva" }, usuario = new { nombre = "Ana", email, password = ApiClient.Password } });
                var reader = _anonymous.WithToken(answer.Json["access_token"]!.GetValue<string>());
                return (answer, reader, Guid.Parse(answer.Json["usuario_id"]!.GetValue<string>()), answer.Json["empresa_id"]!.GetValue<string>());
            },
            ["PUT /empresa"] = () => By(admin, adminId, admin.PutAsync("/empresa", new { nombre_agente = "Rosa" }), _ => w.Tenant.EmpresaId.ToString()),
            ["POST /canales/whatsapp/catalogo"] = async () =>
            {
                var channel = await admin.PutAsync("/canales/whatsapp", new
                {
                    phone_number_id = "109876543210", access_token = "EAAG-token-de-acceso", app_secret = "secreto-de-la-app",
                    verify_token = "token-de-verificacion", catalog_id = CatalogId,
                });
                return await By(admin, adminId, admin.PostAsync("/canales/whatsapp/catalogo", null), _ => IdOf(channel));
            },
            ["POST /usuarios"] = () => By(admin, adminId, admin.PostAsync("/usuarios", new { nombre = "Luis", email = $"luis.{Guid.NewGuid():N}@ejemplo.co", password = ApiClient.Password, rol = "vendedor" }), IdOf),
            ["PATCH /usuarios/{id}"] = () => By(admin, adminId, admin.PatchAsync($"/usuarios/{w.SellerId}", new { nombre = "Luis Vendedor" }), IdOf),
            ["POST /productos"] = () => By(w.Seller, w.SellerId, w.Seller.PostAsync("/productos", new { nombre = $"Rodillo {Guid.NewGuid():N}", precio = 12000, stock = 4 }), IdOf),
            ["POST /productos/importar"] = () => By(admin, adminId, admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "actualizar")),
            ["PUT /productos/{id}"] = async () =>
            {
                var id = await newProduct();
                return await By(w.Seller, w.SellerId, w.Seller.PutAsync($"/productos/{id}", new { nombre = $"Brocha {Guid.NewGuid():N}", precio = 5500, stock = 9 }), IdOf);
            },
            ["DELETE /productos/{id}"] = async () =>
            {
                var id = await newProduct();
                return await By(admin, adminId, admin.SendRawAsync(HttpMethod.Delete, $"/productos/{id}", "", "application/json"), IdOf);
            },
            ["POST /clientes"] = () => By(w.Seller, w.SellerId, w.Seller.PostAsync("/clientes", new { nombre = "Pedro", telefono = $"+57301{Random.Shared.Next(1_000_000, 9_999_999)}" }), IdOf),
            ["PUT /clientes/{id}"] = () => By(w.Seller, w.SellerId, w.Seller.PutAsync($"/clientes/{w.Ids["/clientes/"]}", new { nombre = "Carla Ruiz Díaz", telefono = "+573001234567" }), IdOf),
            ["POST /ventas"] = () => By(w.Seller, w.SellerId, w.Seller.PostAsync("/ventas", new { items = new[] { new { producto_id = w.Ids["/productos/"], cantidad = 1 } } }), IdOf),
            ["POST /ventas/{id}/anular"] = async () =>
            {
                var sale = await w.Seller.PostAsync("/ventas", new { items = new[] { new { producto_id = w.Ids["/productos/"], cantidad = 1 } } });
                return await By(admin, adminId, admin.PostAsync($"/ventas/{IdOf(sale)}/anular", null), IdOf);
            },
            ["PATCH /ventas/{id}/estado"] = async () =>
            {
                var sale = await w.Seller.PostAsync("/ventas", new { items = new[] { new { producto_id = w.Ids["/productos/"], cantidad = 1 } } });
                return await By(w.Seller, w.SellerId, w.Seller.PatchAsync($"/ventas/{IdOf(sale)}/estado", new { estado = "preparando" }), IdOf);
            },
            ["POST /conversaciones/{id}/tomar"] = () => By(w.Seller, w.SellerId, w.Seller.PostAsync($"/conversaciones/{conversation}/tomar", null), _ => conversation),
            ["POST /conversaciones/{id}/liberar"] = () => By(w.Seller, w.SellerId, w.Seller.PostAsync($"/conversaciones/{conversation}/liberar", null), _ => conversation),
            ["POST /conversaciones/{id}/mensajes"] = () => By(w.Seller, w.SellerId, w.Seller.PostAsync($"/conversaciones/{conversation}/mensajes", new { texto = "Hola, soy Luis." }), _ => conversation),
            ["PUT /canales/whatsapp"] = () => By(admin, adminId, admin.PutAsync("/canales/whatsapp", new
            {
                phone_number_id = "109876543210", access_token = "EAAG-token-de-acceso", app_secret = "secreto-de-la-app", verify_token = "token-de-verificacion",
            }), IdOf),
            ["PUT /canales/whatsapp/notificaciones"] = () => By(admin, adminId, admin.PutAsync("/canales/whatsapp/notificaciones", new Dictionary<string, object?>
            {
                ["venta_enviada"] = new { nombre = "pedido_enviado", idioma = "es", parametros = new[] { "cliente", "venta" } },
            })),
            ["PUT /canales/telegram"] = () => By(admin, adminId, admin.PutAsync("/canales/telegram", new { bot_token = "654321:XYZ-token", secret_token = "otro-secreto-telegram" }), IdOf),
        };
    }
}
