using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// A shop confirms a thousand orders at once: each customer gets their notification, and the number's sends stay under
/// Meta's throughput (the fake refuses with 130429 beyond it, as Meta does), so none is refused. The limit is lowered
/// on both sides so the run is short; the pacing is the same code at 80 msg/s.
/// </summary>
public sealed class NotificationPacingTests : IAsyncLifetime
{
    private const string PhoneNumberId = "109876543888";
    private const string AppSecret = "secreto-de-la-app-meta";
    private const string AccessToken = "EAAG-token-de-ritmo";
    private const string WabaId = "555000111333";
    private const int MessagesPerSecond = 100;
    private const int Customers = 1000;
    private const int RecipientBurst = 3;

    private static readonly FakeMessaging.FakeTemplate Confirmed = new("pedido_confirmado", "es", "Hola {{1}}, tu pedido {{2}} está confirmado.");

    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private FakeMessaging _platforms = null!;
    private ApiClient _anonymous = null!;
    private Tenant _tenant = null!;

    public async Task InitializeAsync()
    {
        _platforms = await FakeMessaging.StartAsync(new FakeMessaging.FakeLimits(MessagesPerSecond, RecipientBurst, TimeSpan.FromSeconds(1)));
        _platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        _platforms.RegisterTemplates(WabaId, AccessToken, Confirmed);
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 1, new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = _platforms.BaseUrl.ToString(),
            ["Channels__WhatsAppMessagesPerSecond"] = MessagesPerSecond.ToString(CultureInfo.InvariantCulture),
            ["Channels__WhatsAppRecipientBurst"] = RecipientBurst.ToString(CultureInfo.InvariantCulture),
            ["Channels__WhatsAppRecipientSeconds"] = "1",
        });
        _anonymous = new ApiClient(_stack.CreateClient());
        _tenant = await _anonymous.RegisterAsync();
        var configured = await _tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = AppSecret, verify_token = "verificar", waba_id = WabaId,
        });
        Assert.True(configured.Status == HttpStatusCode.OK, configured.Body);
        var mapped = await _tenant.Admin.PutAsync("/canales/whatsapp/notificaciones", new Dictionary<string, object?>
        {
            ["venta_confirmada"] = new { nombre = Confirmed.Name, idioma = "es", parametros = new[] { "cliente", "venta" } },
        });
        Assert.True(mapped.Status == HttpStatusCode.OK, mapped.Body);
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    [Fact]
    public async Task Many_orders_of_one_customer_at_once_are_paced_to_that_customer_without_a_pair_rate_refusal()
    {
        var product = await _tenant.Admin.PostAsync("/productos", new { sku = "TE-250", nombre = "Té verde 250 g", precio = 18000m, stock = 100, activo = true });
        Assert.True(product.Status == HttpStatusCode.Created, product.Body);
        const string phone = "573339990001";
        var customer = await _tenant.Admin.PostAsync("/clientes", new { nombre = "Comprador Frecuente", telefono = "+" + phone });
        const int orders = 8;
        await Task.WhenAll(Enumerable.Range(0, orders).Select(async _ =>
        {
            var sale = await _tenant.Admin.PostAsync("/ventas", new
            {
                cliente_id = customer.Json["id"]!.GetValue<string>(), canal = "whatsapp",
                items = new[] { new { producto_id = product.Json["id"]!.GetValue<string>(), cantidad = 1 } },
            });
            Assert.True(sale.Status == HttpStatusCode.Created, sale.Body);
        }));

        var sent = await _platforms.WaitForAsync(phone, orders, TimeSpan.FromSeconds(60));
        Assert.All(sent, s => Assert.Equal(200, s.Status));
        Assert.Empty(_platforms.RefusedFor(phone));
        Assert.Equal(orders, sent.Count);
    }

    [Fact]
    public async Task A_thousand_confirmations_reach_a_thousand_customers_without_one_refusal()
    {
        var product = await _tenant.Admin.PostAsync("/productos", new
        {
            sku = "CAF-500", nombre = "Café de origen 500 g", descripcion = "Café tostado en grano", precio = 32000m, stock = Customers * 2,
            categoria = "Despensa", activo = true,
        });
        Assert.True(product.Status == HttpStatusCode.Created, product.Body);
        var productId = product.Json["id"]!.GetValue<string>();

        // Customers who never wrote: outside the window, so each gets the template.
        var phones = Enumerable.Range(0, Customers).Select(i => "57320" + (1_000_000 + i).ToString(CultureInfo.InvariantCulture)).ToList();
        var sales = new string[Customers];
        await Parallel.ForEachAsync(Enumerable.Range(0, Customers), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var customer = await _tenant.Admin.PostAsync("/clientes", new { nombre = $"Cliente {i}", telefono = "+" + phones[i] });
            Assert.True(customer.Status == HttpStatusCode.Created, customer.Body);
            var sale = await _tenant.Admin.PostAsync("/ventas", new
            {
                cliente_id = customer.Json["id"]!.GetValue<string>(), canal = "whatsapp", items = new[] { new { producto_id = productId, cantidad = 1 } },
            });
            Assert.True(sale.Status == HttpStatusCode.Created, sale.Body);
            sales[i] = sale.Json["id"]!.GetValue<string>();
        });

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (_platforms.Snapshot().Count(s => s.Status == 200) < Customers)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{_platforms.Snapshot().Count} sends after 3 minutes");
            await Task.Delay(250);
        }

        var sent = _platforms.Snapshot();
        Assert.All(sent, s => Assert.Equal(200, s.Status));
        Assert.Empty(_platforms.Refused);
        Assert.Equal(phones.Order(), sent.Select(s => s.Body["to"]!.GetValue<string>()).Order());
        Assert.All(sent, s => Assert.Equal(Confirmed.Name, s.Body["template"]!["name"]!.GetValue<string>()));

        // Staff see each one sent: a sample of the sales, read back.
        foreach (var sale in sales.Where((_, i) => i % 100 == 0))
        {
            var read = await _tenant.Admin.GetAsync($"/ventas/{sale}");
            var notification = Assert.Single(read.Json["notificaciones"]!.AsArray())!;
            Assert.Equal("enviada", notification["estado"]!.GetValue<string>());
            Assert.Equal("plantilla", notification["via"]!.GetValue<string>());
        }
    }
}
