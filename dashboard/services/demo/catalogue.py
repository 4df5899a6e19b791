"""The fixed vocabulary of the demo shop, Harbour & Pine: catalogue, people, places, words.

Plain data only; `demo.py` turns it into products, customers and orders.
"""

from __future__ import annotations

SHOP_DOMAIN = "harbourandpine.com.au"
GS1_COMPANY_PREFIX = "9354721"  # an Australian (93) company prefix: 7 digits + 5 item digits

# (sku, name, price AUD, popularity weight, case quantity, aisle)
CATALOGUE: list[tuple[str, str, str, float, int, str]] = [
    # tea, aisle A
    ("TEA-EGB-100", "Earl Grey Blue Flower, loose leaf 100g", "16.50", 5.0, 24, "A"),
    ("TEA-EBF-100", "English Breakfast, loose leaf 100g", "14.00", 6.0, 24, "A"),
    ("TEA-SEN-100", "Japanese Sencha, loose leaf 100g", "22.00", 3.0, 24, "A"),
    ("TEA-DRJ-100", "Darjeeling First Flush, loose leaf 100g", "28.00", 2.0, 12, "A"),
    ("TEA-OOL-100", "Tieguanyin Oolong, loose leaf 100g", "26.00", 2.5, 12, "A"),
    ("TEA-JAS-100", "Jasmine Pearls 100g", "32.00", 3.0, 12, "A"),
    ("TEA-LMG-100", "Lemon Myrtle & Green, loose leaf 100g", "18.50", 3.5, 24, "A"),
    ("TEA-CHA-250", "Masala Chai, loose leaf 250g", "24.00", 3.0, 24, "A"),
    ("TEA-PEP-050", "Peppermint, loose leaf 50g", "11.00", 3.0, 24, "A"),
    ("TEA-CHM-050", "Chamomile Flowers 50g", "12.50", 2.5, 24, "A"),
    ("TEA-PUE-100", "Aged Pu-erh, loose leaf 100g", "34.00", 1.2, 12, "A"),
    ("TEA-ROO-100", "Rooibos Vanilla, loose leaf 100g", "15.00", 2.0, 24, "A"),
    ("TEA-MAT-030", "Ceremonial Matcha, 30g tin", "39.00", 2.5, 12, "A"),
    ("TEA-BAG-025", "Everyday Breakfast, 25 tea bags", "8.95", 4.0, 48, "A"),
    ("TEA-GFT-006", "Tea Tasting Gift Set, 6 tins", "69.00", 1.5, 6, "A"),
    ("TEA-HAM-001", "Tea Lover's Hamper", "129.00", 0.8, 4, "A"),
    # teaware, aisle B
    ("TWR-POT-IRN", "Cast Iron Teapot 800ml, black", "89.00", 1.2, 6, "B"),
    ("TWR-POT-GLS", "Glass Teapot with Infuser, 1L", "49.00", 2.0, 12, "B"),
    ("TWR-KYU-SAG", "Tokoname Kyusu Teapot, sage", "119.00", 0.7, 4, "B"),
    ("TWR-CUP-WHT", "Stoneware Tea Cups, set of 4, white", "44.00", 1.5, 8, "B"),
    ("TWR-CUP-CEL", "Celadon Tea Cups, set of 2", "38.00", 1.2, 8, "B"),
    ("TWR-INF-STL", "Stainless Steel Tea Infuser", "12.95", 3.0, 24, "B"),
    ("TWR-SPN-BRS", "Brass Tea Caddy Spoon", "18.00", 1.5, 12, "B"),
    ("TWR-CAN-200", "Airtight Tea Canister 200g, matte black", "24.00", 1.8, 12, "B"),
    ("TWR-MUG-SPK", "Speckled Stoneware Mug 350ml", "22.00", 3.5, 12, "B"),
    ("TWR-MUG-BLU", "Harbour Blue Mug 350ml", "22.00", 3.0, 12, "B"),
    ("TWR-WRM-CER", "Ceramic Teapot Warmer", "36.00", 0.8, 6, "B"),
    # kitchen, aisle C
    ("KIT-KNF-CHF", "Chef's Knife 20cm, VG10 steel", "189.00", 0.6, 4, "C"),
    ("KIT-KNF-PAR", "Paring Knife 9cm", "59.00", 1.0, 6, "C"),
    ("KIT-BRD-BLB", "Blackbutt Chopping Board, large", "95.00", 1.0, 6, "C"),
    ("KIT-BRD-SPG", "Spotted Gum Serving Board", "69.00", 1.2, 6, "C"),
    ("KIT-SPN-OLV", "Olive Wood Spoon Set of 3", "34.00", 1.8, 12, "C"),
    ("KIT-MRT-GRN", "Granite Mortar & Pestle", "59.00", 0.8, 4, "C"),
    ("KIT-DOV-26C", "Enamelled Cast Iron Dutch Oven 26cm, 5.3L", "329.00", 0.4, 2, "C"),
    ("KIT-SKL-26C", "Cast Iron Skillet 26cm", "89.00", 0.9, 4, "C"),
    ("KIT-GRT-FIN", "Fine Rasp Grater", "39.95", 1.2, 12, "C"),
    ("KIT-SLT-PIG", "Salt Pig, glazed stoneware", "29.00", 1.2, 8, "C"),
    ("KIT-MIL-PEP", "Beech Pepper Mill 20cm", "49.00", 1.0, 8, "C"),
    ("KIT-JAR-001", "Glass Storage Jar with Bamboo Lid, 1L", "16.95", 2.5, 24, "C"),
    ("KIT-APR-OLV", "Linen Apron, olive", "59.00", 1.0, 8, "C"),
    ("KIT-TWL-STR", "Linen Tea Towels, striped, pair", "32.00", 2.5, 12, "C"),
    ("KIT-SCL-DIG", "Digital Kitchen Scales", "49.00", 0.9, 6, "C"),
    ("KIT-KTL-GNK", "Gooseneck Pour-over Kettle 1L", "129.00", 0.8, 4, "C"),
    # homewares, aisle D
    ("HOM-CND-FIG", "Soy Candle, Fig & Cedar 300g", "42.00", 2.5, 12, "D"),
    ("HOM-CND-SEA", "Soy Candle, Sea Salt & Sage 300g", "42.00", 2.2, 12, "D"),
    ("HOM-VSE-BUD", "Ceramic Bud Vase, sand", "36.00", 1.5, 8, "D"),
    ("HOM-VSE-TAL", "Tall Stoneware Vase, charcoal", "79.00", 0.8, 4, "D"),
    ("HOM-THR-MER", "Merino Wool Throw, oat", "179.00", 0.6, 4, "D"),
    ("HOM-CSH-RST", "Linen Cushion Cover 50cm, rust", "49.00", 1.2, 8, "D"),
    ("HOM-NAP-NAT", "Linen Napkins, set of 4, natural", "48.00", 1.4, 8, "D"),
    ("HOM-RUN-CHR", "Linen Table Runner, charcoal", "55.00", 0.8, 6, "D"),
    ("HOM-BSK-SGR", "Seagrass Storage Basket, medium", "45.00", 1.0, 6, "D"),
    ("HOM-DIF-EUC", "Reed Diffuser, Eucalyptus & Mint", "38.00", 1.8, 12, "D"),
    ("HOM-BWL-SAL", "Stoneware Salad Bowl 30cm", "75.00", 0.7, 4, "D"),
    ("HOM-PLT-SPK", "Speckled Dinner Plates, set of 4", "96.00", 0.8, 4, "D"),
    ("HOM-GLS-TMB", "Recycled Glass Tumblers, set of 6", "42.00", 1.2, 6, "D"),
    # pantry, aisle E
    ("PAN-HNY-LTH", "Tasmanian Leatherwood Honey 500g", "19.50", 2.5, 24, "E"),
    ("PAN-JAM-FIG", "Fig & Vanilla Jam 250g", "11.50", 1.8, 24, "E"),
    ("PAN-SLT-MRR", "Murray River Pink Salt Flakes 250g", "9.95", 2.0, 24, "E"),
    ("PAN-BSC-ANZ", "Anzac Biscuits, tin of 12", "14.95", 2.2, 24, "E"),
    ("PAN-CHC-WTL", "Wattleseed Dark Chocolate 100g", "8.50", 2.5, 48, "E"),
]

SUPPLIERS = {
    "A": "Camellia Tea Importers",
    "B": "Kiln & Co. Ceramics",
    "C": "Southern Cross Kitchenware",
    "D": "Saltbush Homewares",
    "E": "Pantry Provisions Tasmania",
}

# --- people ------------------------------------------------------------------------------

FIRST_NAMES = [
    "Olivia", "Charlotte", "Amelia", "Isla", "Mia", "Ava", "Grace", "Chloe", "Sophie",
    "Emily", "Ruby", "Harper", "Matilda", "Zoe", "Lily", "Ella", "Jack", "Oliver",
    "William", "Noah", "Thomas", "James", "Lucas", "Henry", "Liam", "Charlie", "Leo",
    "Ethan", "Lachlan", "Cooper", "Archie", "Hugo", "Max", "Samuel", "Daniel", "Sarah",
    "Jessica", "Rebecca", "Kate", "Michelle", "Lisa", "Karen", "David", "Peter", "Andrew",
    "Mark", "Craig", "Glenn", "Bronwyn", "Kylie", "Fiona", "Margaret", "Helen", "Priya",
    "Anh", "Giulia", "Marco", "Aisha", "Hamish", "Angus", "Georgia", "Madeleine", "Tahlia",
    "Jasmine", "Ned", "Imogen", "Rosie", "Felix", "Siobhan", "Declan", "Nikos", "Elena",
]
SURNAMES = [
    "Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Johnson",
    "Martin", "White", "Anderson", "Walker", "Thompson", "Thomas", "Ryan", "Kelly",
    "Harris", "Lee", "King", "Campbell", "Robinson", "Clarke", "Murphy", "O'Brien",
    "Mitchell", "Hughes", "Papadopoulos", "Russo", "Singh", "Patel", "Tran", "Murray",
    "Fraser", "Stewart", "Byrne", "Doyle", "McDonald", "Hall", "Young", "Wright", "Scott",
    "Green", "Baker", "Hill", "Wood", "Morris", "Cooper", "Ward", "Bell", "Kennedy",
    "Evans", "Bailey", "Sullivan", "Nolan", "Costa", "Rossi", "Kowalski", "Sharma",
]
EMAIL_DOMAINS = [
    "gmail.com", "gmail.com", "gmail.com", "outlook.com", "icloud.com", "bigpond.com",
    "optusnet.com.au", "hotmail.com", "yahoo.com.au", "iinet.net.au", "internode.on.net",
]
COMPANIES = [
    "Little Teapot Café", "Marrickville Grind", "The Corner Providore", "Salt & Wattle Deli",
    "Hillside Bed & Breakfast", "Studio Nine Architects",
]

# Chinese names as (characters, pinyin for the email address).
CHINESE_SURNAMES = [
    ("陈", "chen"), ("李", "li"), ("王", "wang"), ("张", "zhang"), ("刘", "liu"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("林", "lin"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("高", "gao"), ("罗", "luo"), ("梁", "liang"), ("谢", "xie"),
]
CHINESE_GIVEN = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("秀英", "xiuying"), ("敏", "min"),
    ("静", "jing"), ("丽", "li"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"),
    ("艳", "yan"), ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"),
    ("秀兰", "xiulan"), ("霞", "xia"), ("嘉怡", "jiayi"), ("子轩", "zixuan"),
    ("思远", "siyuan"), ("欣怡", "xinyi"), ("浩然", "haoran"), ("雨桐", "yutong"),
    ("梓涵", "zihan"), ("美玲", "meiling"), ("志明", "zhiming"), ("晓东", "xiaodong"),
]
CHINESE_EMAIL_DOMAINS = ["qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "foxmail.com"]

# --- places ------------------------------------------------------------------------------

# (suburb, state, postcode, weight); Sydney suburbs first: they may pick up in Balmain.
AU_SUBURBS = [
    ("Balmain", "NSW", "2041", 4), ("Rozelle", "NSW", "2039", 3), ("Leichhardt", "NSW", "2040", 3),
    ("Surry Hills", "NSW", "2010", 3), ("Newtown", "NSW", "2042", 3), ("Paddington", "NSW", "2021", 2),
    ("Glebe", "NSW", "2037", 2), ("Annandale", "NSW", "2038", 2), ("Marrickville", "NSW", "2204", 2),
    ("Manly", "NSW", "2095", 2), ("Bondi", "NSW", "2026", 2), ("Mosman", "NSW", "2088", 2),
    ("Chatswood", "NSW", "2067", 2), ("Parramatta", "NSW", "2150", 2), ("Cronulla", "NSW", "2230", 1),
    ("Hornsby", "NSW", "2077", 1), ("Drummoyne", "NSW", "2047", 2), ("Randwick", "NSW", "2031", 1),
]
SYDNEY_PICKUP_SUBURBS = len(AU_SUBURBS)
AU_SUBURBS += [
    ("Newcastle", "NSW", "2300", 2), ("Wollongong", "NSW", "2500", 1), ("Katoomba", "NSW", "2780", 1),
    ("Byron Bay", "NSW", "2481", 1), ("Orange", "NSW", "2800", 1),
    ("Fitzroy", "VIC", "3065", 3), ("Brunswick", "VIC", "3056", 3), ("Richmond", "VIC", "3121", 2),
    ("St Kilda", "VIC", "3182", 2), ("Carlton", "VIC", "3053", 2), ("Hawthorn", "VIC", "3122", 1),
    ("Footscray", "VIC", "3011", 1), ("Geelong", "VIC", "3220", 1), ("Ballarat", "VIC", "3350", 1),
    ("New Farm", "QLD", "4005", 2), ("West End", "QLD", "4101", 2), ("Toowong", "QLD", "4066", 1),
    ("Noosa Heads", "QLD", "4567", 1), ("Cairns", "QLD", "4870", 1), ("Townsville", "QLD", "4810", 1),
    ("Fremantle", "WA", "6160", 2), ("Subiaco", "WA", "6008", 1), ("Mount Lawley", "WA", "6050", 1),
    ("Norwood", "SA", "5067", 1), ("Glenelg", "SA", "5045", 1), ("Unley", "SA", "5061", 1),
    ("Hobart", "TAS", "7000", 1), ("Battery Point", "TAS", "7004", 1), ("Launceston", "TAS", "7250", 1),
    ("Braddon", "ACT", "2612", 1), ("Kingston", "ACT", "2604", 1),
    ("Darwin City", "NT", "0800", 1), ("Parap", "NT", "0820", 1),
]
AU_STREETS = [
    "Darling Street", "Crown Street", "King Street", "Oxford Street", "Brunswick Street",
    "Smith Street", "Chapel Street", "Beach Road", "Victoria Road", "George Street",
    "Elizabeth Street", "High Street", "Church Street", "Park Road", "Station Street",
    "Ocean Street", "Railway Parade", "Wattle Street", "Banksia Avenue", "Jacaranda Crescent",
    "Waratah Street", "Bellevue Road", "Macquarie Street", "Lilyfield Road", "Evans Street",
    "Rowntree Street", "Grove Street", "The Avenue", "Harbour View Road", "Gum Tree Lane",
]
# Chinese-Australian customers: suburbs with large Chinese communities.
AU_CHINESE_SUBURBS = [
    ("Hurstville", "NSW", "2220"), ("Chatswood", "NSW", "2067"), ("Burwood", "NSW", "2134"),
    ("Eastwood", "NSW", "2122"), ("Rhodes", "NSW", "2138"), ("Haymarket", "NSW", "2000"),
    ("Box Hill", "VIC", "3128"), ("Glen Waverley", "VIC", "3150"), ("Sunnybank", "QLD", "4109"),
]
AU_CHINESE_STREETS = [
    "Forest Road", "Victoria Avenue", "Burwood Road", "Rowe Street", "Walker Street",
    "Dixon Street", "Whitehorse Road", "Kingsway", "Mains Road", "Railway Street",
]
# (province, city, district, postcode, streets)
CN_PLACES = [
    ("上海市", "上海市", "浦东新区", "200120", ["世纪大道", "陆家嘴环路", "张杨路"]),
    ("上海市", "上海市", "徐汇区", "200030", ["衡山路", "肇嘉浜路", "漕溪北路"]),
    ("上海市", "上海市", "静安区", "200040", ["南京西路", "愚园路", "延安中路"]),
    ("北京市", "北京市", "朝阳区", "100020", ["建国门外大街", "东三环中路", "光华路"]),
    ("广东省", "深圳市", "南山区", "518057", ["深南大道", "科技园南路", "后海大道"]),
    ("广东省", "广州市", "天河区", "510620", ["天河北路", "体育西路", "珠江新城华夏路"]),
    ("浙江省", "杭州市", "西湖区", "310012", ["文三路", "天目山路", "西溪路"]),
    ("四川省", "成都市", "武侯区", "610041", ["人民南路四段", "科华北路", "武侯祠大街"]),
]

# --- the shop's people and words ----------------------------------------------------------

STAFF = {
    "owner": "grace@" + SHOP_DOMAIN,
    "service": ["mia@" + SHOP_DOMAIN, "tom@" + SHOP_DOMAIN],
    "pickers": ["sam@" + SHOP_DOMAIN, "ruby@" + SHOP_DOMAIN],
}
BANKS = ["CBA", "Westpac", "NAB", "ANZ", "Bendigo Bank", "ING", "Macquarie"]
CARRIERS = [("AusPost", 50), ("Sendle", 20), ("StarTrack", 15), ("CouriersPlease", 15)]

CUSTOMER_NOTES = [
    "Please leave at the front door.",
    "It's a gift, please don't include the invoice.",
    "Side gate is unlocked, please leave behind it.",
    "Could you gift wrap this? Happy birthday Mum!",
    "Deliver to reception on level 3, please.",
    "No rush, happy for it to ship with the next order.",
    "Authority to leave: behind the pot plant.",
]
CUSTOMER_NOTES_ZH = ["请放在门口，谢谢！", "这是礼物，请不要放发票。", "请工作日送货，周末家里没人。"]
STAFF_NOTES = [
    "Customer phoned to confirm the delivery address; unit number added to the label.",
    "Gift wrapped in kraft paper with twine as requested.",
    "Called the customer: happy to wait for the backordered item.",
    "Packed with extra bubble wrap: glass item.",
    "Customer asked for a tax invoice with their ABN; sent by email.",
    "Authority to leave given by email.",
    "Swapped the dented tin for a fresh one during picking.",
    "Customer asked about matching cups; suggested the celadon set.",
]
STAFF_NOTES_ZH = [
    "客户来电确认地址，已更新门牌号。",
    "客户要求礼品包装，已处理。",
    "Replied to the customer in Mandarin on WeChat: delivery expected next week.",
]
HOLD_REASONS = [
    "Payment review: billing and shipping countries differ",
    "Customer asked us to hold it until they are back from holiday",
    "Address check: unit number missing, emailed the customer",
    "Waiting on a replacement: item chipped during picking",
    "Customer wants to add more items before we ship",
    "Fraud check: unusually large first order",
]
PICKUP_HOLD_REASONS = [
    "Customer asked us to keep it until next week",
    "Waiting on a replacement: item chipped during picking",
]
