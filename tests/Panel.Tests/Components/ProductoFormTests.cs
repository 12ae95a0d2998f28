using System.Text.Json;
using AgenteVendedor.Panel.Features.Productos;

namespace AgenteVendedor.Panel.Tests.Components;

public sealed class ProductoFormTests
{
    private static Producto Drill(string? imagen) => new(Guid.NewGuid(), "FER-001", "Taladro percutor 650W", "Motor de 650 W", 189900m, 12,
        "Herramientas eléctricas", true, DateTime.UtcNow, DateTime.UtcNow, ["taladro"], imagen);

    private static JsonElement RequestOf(ProductoForm form) => JsonSerializer.SerializeToElement(form.ToRequest());

    [Fact]
    public void Editing_a_product_keeps_its_image_because_put_replaces_every_field()
    {
        var form = ProductoForm.From(Drill("https://cdn.example/taladro.jpg"));
        Assert.Equal("https://cdn.example/taladro.jpg", form.ImagenUrl);
        Assert.Equal("https://cdn.example/taladro.jpg", RequestOf(form).GetProperty("imagen_url").GetString());
    }

    [Fact]
    public void An_empty_image_field_sends_no_image()
    {
        var form = ProductoForm.From(Drill(null));
        Assert.Equal("", form.ImagenUrl);
        form.ImagenUrl = "   ";
        Assert.Equal(JsonValueKind.Null, RequestOf(form).GetProperty("imagen_url").ValueKind);
    }
}
