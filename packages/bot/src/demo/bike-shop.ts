import type { FaqEntryLike } from "../faq/model.js";

/**
 * The demo tenant's knowledge base: a small bike shop. Used by the tests and by the demo seed, so a fresh
 * install has a bot that answers something.
 */
export const BIKE_SHOP_FAQ: readonly FaqEntryLike[] = [
  {
    id: "opening-hours",
    question: "What are your opening hours?",
    alternatives: ["When are you open?", "What time do you close?", "Are you open on Sundays?"],
    answer: "We're open Monday to Friday 9:00–18:00 and Saturday 10:00–16:00. We're closed on Sundays and public holidays.",
  },
  {
    id: "delivery-times",
    question: "How long does delivery take?",
    alternatives: ["When will my order arrive?", "Delivery times", "How fast do you ship?"],
    answer:
      "Parts and accessories ship within 1 business day and arrive in 2–3 days. Bikes are assembled and checked first, so they arrive in 5–7 business days.",
  },
  {
    id: "delivery-cost",
    question: "How much does shipping cost?",
    alternatives: ["Is delivery free?", "Shipping fees"],
    answer: "Shipping is free on orders over $100. Below that it is $6.90; bikes ship for a flat $49.",
  },
  {
    id: "returns",
    question: "How do I return an item?",
    alternatives: ["What is your return policy?", "Can I send something back?"],
    answer:
      "You can return unused items within 30 days. Start a return under Orders in your account, print the label and drop the parcel at any post office.",
  },
  {
    id: "refunds",
    question: "When will I get my refund?",
    alternatives: ["How long does a refund take?", "I returned something, where is my money?"],
    answer:
      "We refund to your original payment method within 5 business days of receiving your return. Your bank may take another 2–3 days.",
  },
  {
    id: "warranty",
    question: "What does the warranty cover?",
    alternatives: ["How long is the warranty on a bike?", "Is my frame under guarantee?"],
    answer:
      "Frames have a lifetime warranty against manufacturing defects; components are covered for 2 years. Wear parts such as tyres, chains and brake pads are not covered.",
  },
  {
    id: "repair-booking",
    question: "How do I book a repair?",
    alternatives: ["Can I schedule a bike service?", "Do you repair bikes?", "Book a workshop appointment"],
    answer:
      "Book a slot at example.com/workshop or drop by the shop. Most repairs are done within 2 days; small fixes such as flat tyres while you wait.",
  },
  {
    id: "repair-cost",
    question: "How much does a bike service cost?",
    alternatives: ["Price of a tune-up", "How much is a repair?"],
    answer: "A basic service is $59 and a full service $129, parts extra. We always quote before we start.",
  },
  {
    id: "payment-methods",
    question: "Which payment methods do you accept?",
    alternatives: ["Can I pay with PayPal?", "Do you take credit cards?", "Can I pay in installments?"],
    answer:
      "We accept Visa, Mastercard, American Express, PayPal and Apple Pay. Bikes over $500 can be paid in 3 or 6 monthly installments.",
  },
  {
    id: "order-tracking",
    question: "How can I track my order?",
    alternatives: ["Where can I find my tracking number?"],
    answer: "Once your order ships we email you a tracking link. You can also find it under Orders in your account.",
  },
  {
    id: "cancel-order",
    question: "Can I cancel my order?",
    alternatives: ["How do I change my order?"],
    answer: "You can cancel or change an order until it ships, under Orders in your account.",
  },
  {
    id: "store-location",
    question: "Where is your store?",
    alternatives: ["What is your address?", "Is there parking near the shop?"],
    answer: "We're at 12 Harbour Street, next to the central station. There is free customer parking behind the shop.",
  },
  {
    id: "gift-cards",
    question: "Do you sell gift cards?",
    alternatives: ["How do I redeem a gift voucher?"],
    answer: "Yes: gift cards from $25 to $500, in the shop or online. Redeem one at checkout; it is valid for 3 years.",
  },
  {
    id: "test-ride",
    question: "Can I test ride a bike before buying?",
    alternatives: ["Do you offer test rides?"],
    answer: "Of course. Bring an ID and take any bike in the shop for a ride around the block.",
  },
  {
    id: "bike-sizing",
    question: "What size bike do I need?",
    alternatives: ["How do I choose the right frame size?"],
    answer:
      "It depends on your height and inseam: our size guide at example.com/sizes has a chart, and in the shop we fit you for free.",
  },
  {
    id: "ebike-battery",
    question: "How long does an e-bike battery last?",
    alternatives: ["How far can I ride on one charge?", "Do you sell replacement batteries?"],
    answer:
      "A charge lasts 60–120 km depending on the mode and terrain. Batteries keep about 80% of their capacity after 800 charges; we sell replacements for every e-bike we carry.",
  },
];

/** Words and phrases customers use for the same thing; the first of each group is the one the index keeps. */
export const BIKE_SHOP_SYNONYMS: readonly (readonly string[])[] = [
  ["refund", "money back", "reimburse", "reimbursement"],
  ["delivery", "shipping", "shipment", "dispatch", "arrive", "postage"],
  ["bike", "bicycle", "cycle"],
  ["e-bike", "ebike", "electric bike", "pedelec"],
  ["open", "opening hours", "business hours", "close"],
  ["repair", "fix", "mend"],
  ["service", "tune-up", "tune up", "maintenance", "inspection"],
  ["gift card", "gift voucher", "voucher", "gift certificate"],
  ["store", "shop", "address", "location"],
  ["price", "cost", "how much", "fee"],
  ["return", "send back", "exchange"],
  ["warranty", "guarantee"],
  ["installments", "instalments", "pay monthly", "financing"],
];
