"""SQL for a province's OCOP register: N products from N/5 producers on the demo's communes, each
complete for sale (label facts, price, the demo's photo), stars 3–5, one in ten expired."""
import datetime
import random
import sys
import uuid

dialect, count, image = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(16)
units = ["31672", "31673", "31679", "31681"]
today = datetime.date.today()


def u():
    value = str(uuid.uuid4())
    return f"'{value.upper()}'" if dialect == "sqlite" else f"'{value}'::uuid"


def text(value):
    return "'" + value.replace("'", "''") + "'"


def boolean(value):
    return ("1" if value else "0") if dialect == "sqlite" else ("true" if value else "false")


print("BEGIN;")
producers = []
for index in range(max(1, count // 5)):
    producer = u()
    producers.append(producer)
    print(f"INSERT INTO ocop_producers (id, name, kind, unit_id, address, is_demo) VALUES "
          f"({producer}, {text(f'Cơ sở sản xuất số {index + 1}')}, 'household', '{random.choice(units)}', 'Ấp {index % 9 + 1}', {boolean(True)});")
for index in range(count):
    product = u()
    name = f"Sản phẩm OCOP số {index + 1} — khô cá, gạo, mắm"
    print(f"INSERT INTO ocop_products (id, slug, producer_id, name, group_code, description, price, availability, net_quantity, ingredients, usage, "
          f"storage, warnings, shelf_life, origin, responsible_entity, image_path, is_demo) VALUES ({product}, 'san-pham-{index + 1}', "
          f"{producers[index % len(producers)]}, {text(name)}, 'I.2.a', {text('Đặc sản Trần Đề, làm thủ công. Đạt OCOP 4 sao.')}, "
          f"{random.randrange(30, 500) * 1000}, 'in_stock', '500 g', 'Nguyên liệu địa phương, muối', 'Dùng ngay', 'Nơi khô ráo', '', '12 tháng', "
          f"'Trần Đề, Việt Nam', {text(f'Cơ sở sản xuất số {index % len(producers) + 1}')}, {text(image)}, {boolean(True)});")
    expired = index % 10 == 0
    decided = today - datetime.timedelta(days=(1200 if expired else random.randrange(30, 1000)))
    until = decided.replace(year=decided.year + 3) if not (decided.month == 2 and decided.day == 29) else decided.replace(year=decided.year + 3, day=28)
    print(f"INSERT INTO ocop_certificates (id, product_id, stars, level, issuer, decision_number, decision_date, valid_until, is_demo) VALUES "
          f"({u()}, {product}, {random.choice([3, 3, 3, 4, 4, 5])}, 'province', 'UBND tỉnh (bench)', 'BENCH-{index + 1}/QĐ', "
          f"'{decided.isoformat()}', '{until.isoformat()}', {boolean(True)});")
print("COMMIT;")
